#!/usr/bin/env node
// Server CPU per delivery with the stock socket.io-client on one transport
// (Engine.IO long-polling or WebSocket): N clients, events POSTed to
// /api/events at a fixed rate over keep-alive HTTP, the server's CPU read
// from /proc/PID/stat over the measured phase. The native load generator
// (bench/loadgen) speaks only WebSocket; this measures polling clients the
// way browsers that fall back to it do, and WebSocket the same way for the
// ratio. Prints one JSON line. Used by compare.py's "polling" scenario.
//
//   node bench/socketio/transport_cpu.js --port P --server-pid PID \
//     --transport polling --clients 100 --rate 100 --duration 5 --warmup 2 [--keepalive 1]
//
// Polling clients in Node open a new TCP connection for every request (the
// stock client's XHR has no agent), where a browser keeps its connections:
// --keepalive 1 gives every client a keep-alive agent, as a browser polls.
// The polls answered in the measured phase are counted too, so the server's
// CPU per poll shows apart from how many deliveries each poll carried.
'use strict';

const fs = require('fs');
const http = require('http');
const path = require('path');

function requireClient() {
  for (const dir of [process.env.SOCKETIO_CLIENT_DIR, path.join(__dirname, '../../node_modules')]) {
    if (!dir) continue;
    try {
      return require(path.join(dir, 'socket.io-client'));
    } catch (_) { /* next */ }
  }
  return require('socket.io-client');
}
const { io } = requireClient();

function parseArgs(argv) {
  const a = { clients: 100, rate: 100, duration: 5, warmup: 2, transport: 'polling', posters: 4, keepalive: 0 };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '').replace(/-/g, '_');
    if (!(key in a) && !['port', 'server_pid'].includes(key)) throw new Error(`unknown flag ${argv[i]}`);
    a[key] = key === 'transport' ? argv[i + 1] : Number(argv[i + 1]);
  }
  if (!a.port || !a.server_pid) throw new Error('--port and --server-pid are required');
  if (!['polling', 'websocket'].includes(a.transport)) throw new Error('--transport is polling or websocket');
  return a;
}

const TICKS_PER_S = 100; // USER_HZ on Linux
function cpuSeconds(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]) / TICKS_PER_S, system: Number(fields[12]) / TICKS_PER_S };
}
const ownCpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
const nowMs = () => performance.timeOrigin + performance.now();

async function main() {
  const a = parseArgs(process.argv.slice(2));
  const url = `http://127.0.0.1:${a.port}`;
  const run = Date.now();
  let phase = 'warmup';
  let delivered = 0;
  let polls = 0;
  const latencies = [];
  const clientAgent = a.keepalive ? new http.Agent({ keepAlive: true }) : undefined;

  const clients = [];
  await Promise.all(Array.from({ length: a.clients }, () => new Promise((resolve, reject) => {
    const socket = io(url, { transports: [a.transport], forceNew: true, reconnection: false, timeout: 20000,
      agent: clientAgent });
    socket.on('connect', () => {
      // Every answered long-poll (engine.io-client's Polling transport).
      socket.io.engine.transport.on('pollComplete', () => { if (phase === 'measure') polls++; });
      resolve();
    });
    socket.on('connect_error', reject);
    socket.on('claude_event', (event) => {
      const sent = event && (event.bench_sent_ms ?? event.data?.bench_sent_ms);
      const eventRun = event && (event.bench_run ?? event.data?.bench_run);
      if (eventRun !== run || phase !== 'measure' || sent === undefined) return;
      delivered++;
      latencies.push(nowMs() - sent);
    });
    clients.push(socket);
  })));

  const agent = new http.Agent({ keepAlive: true, maxSockets: a.posters });
  let seq = 0;
  let posted = 0;
  const post = () => new Promise((resolve) => {
    // The generic form: every server takes it without hook handler plugins.
    const body = JSON.stringify({
      type: 'bench', subtype: 'transport_cpu',
      data: { tool_name: 'Bash', tool_input: { command: 'ls -la src' }, bench_run: run, bench_seq: seq++, bench_sent_ms: nowMs() },
    });
    const req = http.request(`${url}/api/events`, {
      method: 'POST', agent, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
    }, (res) => { res.resume(); res.on('end', resolve); });
    req.on('error', resolve);
    req.end(body);
  });
  const postFor = async (seconds) => {
    const start = Date.now();
    let due = 0;
    while (Date.now() - start < seconds * 1000) {
      const target = Math.floor(((Date.now() - start) / 1000) * a.rate);
      const batch = [];
      for (; due < target; due++) batch.push(post());
      await Promise.all(batch);
      posted += batch.length;
      await new Promise((r) => setTimeout(r, 5));
    }
  };

  await postFor(a.warmup);
  await new Promise((r) => setTimeout(r, 500));
  phase = 'measure';
  posted = 0;
  const cpuBefore = cpuSeconds(a.server_pid);
  const ownBefore = ownCpu();
  const started = Date.now();
  await postFor(a.duration);
  const expected = posted * a.clients;
  const drainUntil = Date.now() + 5000;
  while (delivered < expected && Date.now() < drainUntil) await new Promise((r) => setTimeout(r, 20));
  const cpuAfter = cpuSeconds(a.server_pid);
  const elapsed = (Date.now() - started) / 1000;
  phase = 'done';
  for (const s of clients) s.close();
  agent.destroy();
  if (clientAgent) clientAgent.destroy();

  latencies.sort((x, y) => x - y);
  const pct = (q) => (latencies.length ? Number(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))].toFixed(2)) : null);
  const user = cpuAfter.user - cpuBefore.user;
  const system = cpuAfter.system - cpuBefore.system;
  const perDelivery = (s) => (delivered ? Number(((s * 1e6) / delivered).toFixed(2)) : null);
  console.log(JSON.stringify({
    transport: a.transport, keepalive: Boolean(a.keepalive), clients: a.clients, rate: a.rate,
    duration_s: a.duration, elapsed_s: elapsed, posted, expected, delivered, complete: delivered === expected,
    polls: a.transport === 'polling' ? polls : null,
    server_cpu_us_per_poll: a.transport === 'polling' && polls ? Number((((user + system) * 1e6) / polls).toFixed(2)) : null,
    server_cpu_s: Number((user + system).toFixed(2)),
    server_cpu_us_per_delivery: perDelivery(user + system),
    server_user_us_per_delivery: perDelivery(user), server_system_us_per_delivery: perDelivery(system),
    client_cpu_us_per_delivery: perDelivery(ownCpu() - ownBefore),
    latency_ms: { p50: pct(0.5), p99: pct(0.99) },
  }));
  process.exit(0);
}

main().catch((e) => { console.error(e.stack || String(e)); process.exit(1); });
