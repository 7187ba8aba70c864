// The broker's heartbeat reaches a client as system_event within one interval.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const { io } = require("socket.io-client");
const { startBroker, nextEvent, scaled } = require("./lib/broker");

test("heartbeat arrives as system_event within one interval", async () => {
  const intervalMs = 1000;
  const broker = await startBroker(["--heartbeat-interval-s", String(intervalMs / 1000)]);
  const socket = io(broker.url, { transports: ["websocket"], reconnection: false });
  try {
    await nextEvent(socket, "connect");
    const connectedAt = Date.now();
    const heartbeat = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no heartbeat")), intervalMs + scaled(500));
      socket.on("system_event", (event) => {
        if (event.event !== "heartbeat") return;
        clearTimeout(timer);
        resolve(event);
      });
    });
    assert.ok(Date.now() - connectedAt <= intervalMs + scaled(500));
    assert.equal(heartbeat.type, "system");
    assert.equal(heartbeat.subtype, "heartbeat");
    assert.match(heartbeat.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(heartbeat.data.connected_clients, 1);
    assert.equal(typeof heartbeat.data.uptime_seconds, "number");
    assert.equal(typeof heartbeat.data.total_events, "number");
    // Started with --port 0: the heartbeat names the port actually bound.
    assert.equal(heartbeat.data.server_info.port, broker.port);
  } finally {
    socket.close();
    await broker.stop();
  }
});
