// The Socket.IO ecosystem's Redis formats (issue 17, acceptance 2), with the
// stock npm packages pinned in package.json against a real redis-server:
//  - a Node process with @socket.io/redis-emitter reaches this broker's
//    Socket.IO clients;
//  - a Node socket.io server with @socket.io/redis-adapter delivers this
//    broker's events to its own clients.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const http = require("node:http");
const { io } = require("socket.io-client");
const { startBroker, postEvent, nextEvent } = require("./lib/broker");
const { startRedis, redisServerBinary } = require("./lib/redis");

// Two processes and Redis between the sender and the receiver: generous
// waits for a loaded machine (a missing delivery still fails).
const HOP_MS = 15000;

const skip = redisServerBinary() ? false : "redis-server is not installed (scripts/install-deps.sh)";

function clusterArgs(redis, node) {
  return ["--heartbeat-interval-s", "60", "--set", "plugins.cluster_redis.enabled=true",
          "--set", `plugins.cluster_redis.config.url=${redis.url}`,
          "--set", `plugins.cluster_redis.config.node_id=${node}`];
}

/** Resolves once Redis's CLIENT LIST satisfies `ready(lines)`. */
async function waitClients(client, ready, what) {
  for (let i = 0; i < 1000; ++i) {
    const lines = String(await client.sendCommand(["CLIENT", "LIST"])).split("\n");
    if (ready(lines)) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`Redis never had ${what}`);
}

/** `count` connections listening on a pattern (the broker's subscriber, a Node adapter's). */
const patternSubscribers = (count) => (lines) => lines.filter((l) => /\bpsub=[1-9]/.test(l)).length >= count;

/** The broker's connection that publishes (named by cluster_redis), past its handshake. */
const publisherOf = (node) => (lines) =>
  lines.some((l) => l.includes(`name=hookbroker:${node}:writer`) && !/\bcmd=(auth|client|hello)\b/.test(l));

test("the stock redis emitter reaches this broker's clients", { skip }, async () => {
  const { createClient } = require("redis");
  const { Emitter } = require("@socket.io/redis-emitter");
  const redis = await startRedis();
  const broker = await startBroker(clusterArgs(redis, "n1"));
  const redisClient = createClient({ url: redis.url });
  const socket = io(broker.url, { reconnection: false, forceNew: true, transports: ["websocket"] });
  try {
    await redisClient.connect();
    if (!socket.connected) await nextEvent(socket, "connect", HOP_MS);  // it may have connected already
    await waitClients(redisClient, patternSubscribers(1), "the broker's subscriber");
    const emitter = new Emitter(redisClient);

    const custom = nextEvent(socket, "deploy_finished", HOP_MS);
    emitter.emit("deploy_finished", { service: "api", ok: true });
    assert.deepEqual((await custom)[0], { service: "api", ok: true });

    const claude = nextEvent(socket, "claude_event", HOP_MS);
    emitter.emit("claude_event", { type: "hook", subtype: "notice", data: { from: "node" } });
    const [event] = await claude;
    assert.equal(event.subtype, "notice");
    assert.deepEqual(event.data, { from: "node" });

    // A room we have no client in reaches nobody here.
    let leaked = false;
    socket.on("room_only", () => (leaked = true));
    emitter.to("some-room").emit("room_only", 1);
    const after = nextEvent(socket, "after_room", HOP_MS);
    emitter.emit("after_room", 2);
    await after;
    assert.equal(leaked, false);

    const beat = await fetch(`${broker.url}/health`);
    assert.equal(beat.status, 200);
  } finally {
    socket.close();
    await redisClient.quit().catch(() => {});
    await broker.stop();
    await redis.stop();
  }
});

test("a Node socket.io server with the stock redis adapter delivers this broker's events", { skip }, async () => {
  const { createClient } = require("redis");
  const { Server } = require("socket.io");
  const { createAdapter } = require("@socket.io/redis-adapter");
  const redis = await startRedis();
  const broker = await startBroker(clusterArgs(redis, "n1"));
  const pub = createClient({ url: redis.url });
  const sub = pub.duplicate();
  const server = http.createServer();
  const nodeIo = new Server(server);
  let nodeClient;
  try {
    await Promise.all([pub.connect(), sub.connect()]);
    nodeIo.adapter(createAdapter(pub, sub));
    await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
    await waitClients(pub, patternSubscribers(2), "both pattern subscribers");
    // Adapter broadcasts are live only: the broker must be connected to publish.
    await waitClients(pub, publisherOf("n1"), "the broker's publishing connection");
    nodeClient = io(`http://127.0.0.1:${server.address().port}`, { reconnection: false, forceNew: true });
    if (!nodeClient.connected) await nextEvent(nodeClient, "connect", HOP_MS);

    const received = nextEvent(nodeClient, "claude_event", HOP_MS);
    assert.equal(await postEvent(broker, { type: "test", subtype: "interop", session_id: "s1", data: { n: 1 } }), 204);
    const [event] = await received;
    assert.equal(event.subtype, "interop");
    assert.equal(event.session_id, "s1");
    assert.deepEqual(event.data, { n: 1 });
    assert.equal(event.node, "n1");
  } finally {
    if (nodeClient) nodeClient.close();
    nodeIo.close();
    await pub.quit().catch(() => {});
    await sub.quit().catch(() => {});
    await broker.stop();
    await redis.stop();
  }
});
