// 200 clients (default transports: polling, then the upgrade while events
// flow) each receive every broadcast exactly once.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const { io } = require("socket.io-client");
const { startBroker, postEvent, nextEvent, waitFor } = require("./lib/broker");

const CLIENTS = 200;
const EVENTS = 30;

test(`${CLIENTS} clients each receive every broadcast exactly once`, async () => {
  const broker = await startBroker(["--heartbeat-interval-s", "60"]);
  const sockets = [];
  try {
    const counts = [];
    for (let i = 0; i < CLIENTS; ++i) {
      const socket = io(broker.url, { reconnection: false, forceNew: true });
      const seen = new Map();
      counts.push(seen);
      socket.on("claude_event", (event) => {
        if (event.subtype !== "fanout") return;
        seen.set(event.data.n, (seen.get(event.data.n) || 0) + 1);
      });
      sockets.push(socket);
    }
    await Promise.all(sockets.map((s) => (s.connected ? null : nextEvent(s, "connect", 20000))));
    assert.equal(JSON.parse(await (await fetch(`${broker.url}/health`)).text()).clients, CLIENTS);

    for (let n = 0; n < EVENTS; ++n) {
      assert.equal(await postEvent(broker, { type: "test", subtype: "fanout", data: { n } }), 204);
    }
    await waitFor(() => counts.every((seen) => seen.size === EVENTS), 20000, "every client to see every event");
    // Give duplicates a moment to show up, then check each arrived once.
    await new Promise((r) => setTimeout(r, 200));
    for (const seen of counts) {
      assert.equal(seen.size, EVENTS);
      for (const times of seen.values()) assert.equal(times, 1);
    }
  } finally {
    for (const s of sockets) s.close();
    await broker.stop();
  }
});
