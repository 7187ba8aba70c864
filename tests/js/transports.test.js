// A stock socket.io-client over each transport: polling only, WebSocket only,
// and the default polling -> WebSocket upgrade.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const { io } = require("socket.io-client");
const { startBroker, postEvent, nextEvent, scaled } = require("./lib/broker");

let broker;
test.before(async () => {
  broker = await startBroker(["--heartbeat-interval-s", "60"]);
});
test.after(async () => {
  assert.equal((await broker.stop()).code, 0);
});

/** A client with listeners for what arrives right on connect. */
function connect(options) {
  const socket = io(broker.url, { reconnection: false, ...options });
  const greeting = { status: nextEvent(socket, "status"), history: nextEvent(socket, "history") };
  return { socket, greeting };
}

async function exercise(socket, greeting) {
  // On connect: status, then history.
  const [status] = await greeting.status;
  assert.equal(status.service, "hookbroker");
  const [history] = await greeting.history;
  assert.ok(Array.isArray(history.events));
  assert.equal(history.count, history.events.length);
  // A posted event arrives as claude_event.
  const received = nextEvent(socket, "claude_event");
  assert.equal(await postEvent(broker, { type: "test", subtype: "transport", data: { via: socket.io.engine.transport.name } }), 204);
  const [event] = await received;
  assert.equal(event.subtype, "transport");
  // A request with an ack.
  const echoed = await socket.timeout(scaled(5000)).emitWithAck("echo", "round", 2, { trip: true });
  assert.equal(echoed, "round");
}

test("polling only", async () => {
  const { socket, greeting } = connect({ transports: ["polling"] });
  try {
    await nextEvent(socket, "connect");
    assert.equal(socket.io.engine.transport.name, "polling");
    await exercise(socket, greeting);
    assert.equal(socket.io.engine.transport.name, "polling");
  } finally {
    socket.close();
  }
});

test("websocket only", async () => {
  const { socket, greeting } = connect({ transports: ["websocket"] });
  try {
    await nextEvent(socket, "connect");
    assert.equal(socket.io.engine.transport.name, "websocket");
    await exercise(socket, greeting);
  } finally {
    socket.close();
  }
});

test("polling upgrades to websocket", async () => {
  const { socket, greeting } = connect({});
  try {
    const upgraded = new Promise((resolve) => socket.io.on("open", () => socket.io.engine.once("upgrade", resolve)));
    await nextEvent(socket, "connect");
    if (socket.io.engine.transport.name !== "websocket") {
      const [transport] = await Promise.race([
        upgraded.then((t) => [t]),
        new Promise((_, reject) => setTimeout(() => reject(new Error("no upgrade")), scaled(5000))),
      ]);
      assert.equal(transport.name, "websocket");
    }
    assert.equal(socket.io.engine.transport.name, "websocket");
    await exercise(socket, greeting);
  } finally {
    socket.close();
  }
});
