// Acks and binary payloads round-trip unchanged, over both transports.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const { io } = require("socket.io-client");
const { startBroker, nextEvent, scaled } = require("./lib/broker");

let broker;
test.before(async () => {
  broker = await startBroker(["--heartbeat-interval-s", "60"]);
});
test.after(async () => {
  await broker.stop();
});

for (const transports of [["polling"], ["websocket"]]) {
  test(`ack round trip over ${transports[0]}`, async () => {
    const socket = io(broker.url, { transports, reconnection: false });
    try {
      await nextEvent(socket, "connect");
      const args = [1, "two", { three: [3, 3.5, null, true] }, ["nested", { deep: { er: "é✓" } }]];
      const answer = await new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("no ack")), scaled(5000));
        socket.emit("echo", ...args, (...acked) => {
          clearTimeout(timer);
          resolve(acked);
        });
      });
      assert.deepEqual(answer, args);
      const status = await socket.timeout(scaled(5000)).emitWithAck("get_status");
      assert.equal(status.service, "hookbroker");
      const history = await socket.timeout(scaled(5000)).emitWithAck("get_history", { limit: 5 });
      assert.ok(Array.isArray(history.events));
      assert.ok("next_cursor" in history);
      // A bad query is answered with the reason, not ignored.
      const refused = await socket.timeout(scaled(5000)).emitWithAck("get_history", { limit: 0 });
      assert.match(refused.error, /^limit must be a whole number from 1 to 1000, got '0'/);
      // Many acks in flight at once are each answered once, matched by id.
      const many = await Promise.all(
        Array.from({ length: 50 }, (_, i) => socket.timeout(scaled(5000)).emitWithAck("echo", i)),
      );
      assert.deepEqual(many, Array.from({ length: 50 }, (_, i) => i));
    } finally {
      socket.close();
    }
  });

  test(`binary round trip over ${transports[0]}`, async () => {
    const socket = io(broker.url, { transports, reconnection: false });
    try {
      await nextEvent(socket, "connect");
      const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
      const big = Buffer.alloc(300000, 0xab);
      const answer = await new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("no ack")), scaled(5000));
        socket.emit("echo", bytes, { inner: [Buffer.from("hi"), "text"], big }, (...acked) => {
          clearTimeout(timer);
          resolve(acked);
        });
      });
      assert.equal(answer.length, 2);
      assert.ok(Buffer.from(answer[0]).equals(bytes));
      assert.equal(Buffer.from(answer[1].inner[0]).toString(), "hi");
      assert.equal(answer[1].inner[1], "text");
      assert.ok(Buffer.from(answer[1].big).equals(big));
    } finally {
      socket.close();
    }
  });
}
