'use strict';
// Node.js broker on the socket.io 4.8 server: the program a user would write
// instead of hookbroker. Benchmark peer: same routes, same events, same
// payloads, same log lines as far as the benchmark looks.

const http = require('node:http');
const { Server } = require('socket.io');
const { parseOptions } = require('./options');
const { Broker } = require('./broker');
const { createHttpHandler } = require('./http_api');

const LOCAL_ORIGIN = /^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?$/;

function attachClientHandlers(io, broker) {
  io.on('connection', (socket) => {
    socket.emit('status', broker.status());
    socket.emit('history', broker.historyPayload(broker.options.historyOnConnect, []));

    const answer = (name, value, ack) => (typeof ack === 'function' ? ack(value) : socket.emit(name, value));
    socket.on('get_status', (...args) => answer('status', broker.status(), args.find((a) => typeof a === 'function')));
    socket.on('get_history', (request, ack) => {
      const cb = typeof request === 'function' ? request : ack;
      const req = request && typeof request === 'object' ? request : {};
      const limit = Number.isInteger(req.limit) && req.limit >= 0 ? req.limit : broker.options.historyOnConnect;
      const types = [].concat(req.event_types || []).filter((t) => typeof t === 'string');
      answer('history', broker.historyPayload(limit, types), cb);
    });
    socket.on('echo', (...args) => {
      const ack = args.pop();
      if (typeof ack === 'function') ack(...args);
    });
    socket.on('claude_event', (raw, ack) => {
      const { error } = broker.ingest(raw, 'socketio');
      if (typeof ack === 'function') ack(error ? { error } : { status: 'ok' });
    });
  });
}

// The stock redis adapter on two connections (publish, subscribe); resolves
// once both are connected so that no broadcast is lost at start.
async function useRedisAdapter(io, url) {
  const { createClient } = require('redis');
  const { createAdapter } = require('@socket.io/redis-adapter');
  const pub = createClient({ url });
  const sub = pub.duplicate();
  for (const client of [pub, sub]) client.on('error', (err) => console.error(`node-broker: redis: ${err.message}`));
  await Promise.all([pub.connect(), sub.connect()]);
  io.adapter(createAdapter(pub, sub));
  return [pub, sub];
}

async function main() {
  let options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (e) {
    console.error(`node-broker: ${e.message}`);
    process.exit(2);
  }

  // Socket.IO takes over the server's 'request' listeners and passes it
  // whatever is not under /socket.io/, so ours must be in place before it.
  let handleHttp = null;
  const httpServer = http.createServer((req, res) => handleHttp(req, res));
  const io = new Server(httpServer, { serveClient: false, cors: { origin: LOCAL_ORIGIN } });
  const broker = new Broker(io, options);
  handleHttp = createHttpHandler({ broker, options });
  attachClientHandlers(io, broker);
  let redisClients = [];
  if (options.redisUrl) {
    try {
      redisClients = await useRedisAdapter(io, options.redisUrl);
    } catch (e) {
      console.error(`node-broker: cannot use Redis at ${options.redisUrl}: ${e.message}`);
      process.exit(4);
    }
  }

  httpServer.on('error', (err) => {
    console.error(`node-broker: cannot listen on ${options.host}:${options.port}: ${err.message}`);
    process.exit(3);
  });
  httpServer.listen(options.port, options.host, () => {
    broker.port = httpServer.address().port;
    console.log(`listening on http://${options.host}:${broker.port}`);
  });

  const heartbeat = options.heartbeatInterval > 0
    ? setInterval(() => broker.heartbeat(), options.heartbeatInterval * 1000) : null;

  const shutdown = () => {
    if (heartbeat) clearInterval(heartbeat);
    io.close(() => process.exit(0));
    for (const client of redisClients) client.quit().catch(() => {});
    setTimeout(() => process.exit(0), 1000).unref();
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((e) => {
  console.error(`node-broker: ${e.stack || e.message}`);
  process.exit(1);
});
