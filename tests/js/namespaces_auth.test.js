// Connection errors a stock client sees: an unknown namespace, a missing or
// wrong token; and the token that lets it in.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const { io } = require("socket.io-client");
const { startBroker, nextEvent } = require("./lib/broker");

test("unknown namespace gets 'Invalid namespace'", async () => {
  const broker = await startBroker(["--heartbeat-interval-s", "60"]);
  const socket = io(`${broker.url}/admin`, { reconnection: false });
  try {
    const [error] = await nextEvent(socket, "connect_error");
    assert.equal(error.message, "Invalid namespace");
    assert.equal(socket.connected, false);
  } finally {
    socket.close();
    await broker.stop();
  }
});

test("token auth", async () => {
  const broker = await startBroker(["--heartbeat-interval-s", "60", "--token", "s3cret"]);
  try {
    for (const auth of [undefined, { token: "wrong" }]) {
      const socket = io(broker.url, { reconnection: false, auth });
      const [error] = await nextEvent(socket, "connect_error");
      assert.match(error.message, /token/);
      socket.close();
    }
    const socket = io(broker.url, { reconnection: false, auth: { token: "s3cret" } });
    await nextEvent(socket, "connect");
    assert.ok(socket.connected);
    socket.close();

    const denied = await fetch(`${broker.url}/api/events`, { method: "POST", body: '{"type":"x"}' });
    assert.equal(denied.status, 401);
    assert.match((await denied.json()).error, /Authorization: Bearer/);
    const allowed = await fetch(`${broker.url}/api/events`, {
      method: "POST",
      body: '{"type":"x"}',
      headers: { Authorization: "Bearer s3cret", "Content-Type": "application/json" },
    });
    assert.equal(allowed.status, 204);
  } finally {
    await broker.stop();
  }
});
