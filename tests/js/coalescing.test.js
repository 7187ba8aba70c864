// Broadcast coalescing seen by stock clients: broadcasts that follow a write
// within coalesce_window_us are held, then sent together (on WebSocket as
// consecutive frames in one write) and arrive complete and in order over
// both transports.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const { io } = require("socket.io-client");
const { startBroker, postEvent, nextEvent, waitFor, scaled } = require("./lib/broker");

// Long enough that a burst posted right after the first event falls inside it
// even on a slow (sanitizer) run; the test does not wait for it to pass
// except once.
const WINDOW_MS = 400;
const BURST = 20;

test("a burst within the window arrives whole and in order, after the window", async () => {
  const broker = await startBroker([
    "--heartbeat-interval-s", "60",
    "--set", `plugins.transport_socketio.config.coalesce_window_us=${WINDOW_MS * 1000}`,
    // A fixed window: an adaptive one would stay at its shortest at this load.
    "--set", `plugins.transport_socketio.config.coalesce_window_min_us=${WINDOW_MS * 1000}`,
  ]);
  const clients = [
    { name: "websocket", socket: io(broker.url, { reconnection: false, forceNew: true, transports: ["websocket"] }) },
    { name: "polling", socket: io(broker.url, { reconnection: false, forceNew: true, transports: ["polling"] }) },
  ];
  try {
    for (const c of clients) {
      c.seen = [];
      c.arrived = [];
      c.socket.on("claude_event", (event) => {
        if (event.subtype !== "burst") return;
        c.seen.push(event.data.n);
        c.arrived.push(Date.now());
      });
    }
    await Promise.all(clients.map((c) => (c.socket.connected ? null : nextEvent(c.socket, "connect", scaled(10000)))));
    // The behaviour under test is timed: event 0 must open a quiet spell, so
    // any broadcast of the start-up must be a window old first.
    await new Promise((r) => setTimeout(r, WINDOW_MS + 50));

    // The first broadcast of a quiet spell leaves at once...
    const posted0 = Date.now();
    assert.equal(await postEvent(broker, { type: "test", subtype: "burst", data: { n: 0 } }), 204);
    await waitFor(() => clients.every((c) => c.seen.length === 1), scaled(5000), "event 0 at every client");
    // ...those right after it wait for the window, then come together.
    for (let n = 1; n < BURST; ++n) {
      assert.equal(await postEvent(broker, { type: "test", subtype: "burst", data: { n } }), 204);
    }
    await waitFor(() => clients.every((c) => c.seen.length === BURST), scaled(10000), "the whole burst at every client");

    const expected = Array.from({ length: BURST }, (_, n) => n);
    for (const c of clients) {
      assert.deepEqual(c.seen, expected, `${c.name}: every event once, in order`);
      // Event 0 was flushed when it was posted; event 1 no sooner than the
      // window after that flush (measured from before the POST: a lower
      // bound, whatever the machine's speed).
      assert.ok(c.arrived[1] - posted0 >= WINDOW_MS - 20,
        `${c.name}: event 1 came ${c.arrived[1] - posted0} ms after event 0 was posted, inside the ${WINDOW_MS} ms window`);
    }
  } finally {
    for (const c of clients) c.socket.close();
    assert.equal((await broker.stop()).code, 0);
  }
});
