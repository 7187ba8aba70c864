// A client reconnects by itself when the broker restarts on the same port,
// and receives events again.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const { io } = require("socket.io-client");
const { startBroker, postEvent, nextEvent } = require("./lib/broker");

test("reconnect after a broker restart", async () => {
  let broker = await startBroker(["--heartbeat-interval-s", "60"]);
  const port = broker.port;
  const socket = io(broker.url, { reconnectionDelay: 100, reconnectionDelayMax: 200 });
  try {
    await nextEvent(socket, "connect");
    const firstId = socket.id;
    const disconnected = nextEvent(socket, "disconnect");
    assert.equal((await broker.stop()).code, 0);
    await disconnected;

    broker = await startBroker(["--heartbeat-interval-s", "60"], { port });
    await nextEvent(socket, "connect", 10000);
    assert.notEqual(socket.id, firstId);
    const received = nextEvent(socket, "claude_event");
    assert.equal(await postEvent(broker, { type: "test", subtype: "after_restart" }), 204);
    const [event] = await received;
    assert.equal(event.subtype, "after_restart");
  } finally {
    socket.close();
    await broker.stop();
  }
});
