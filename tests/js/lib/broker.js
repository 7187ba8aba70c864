// Starts the real hookbroker binary for a JavaScript test and tells its port.
//
//   const broker = await startBroker(["--heartbeat-interval-s", "0.5"]);
//   const socket = io(broker.url);
//   ...
//   await broker.stop();
//
// HOOKBROKER_BIN names the binary (ctest sets it). Timeouts scale with
// HOOKBROKER_TEST_TIMEOUT_SCALE, as in the C++ tests (sanitizer builds are slower).
"use strict";

const { spawn } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const scale = Number(process.env.HOOKBROKER_TEST_TIMEOUT_SCALE || "1") || 1;

function scaled(ms) {
  return Math.round(ms * scale);
}

function brokerBinary() {
  const bin = process.env.HOOKBROKER_BIN;
  if (!bin) throw new Error("HOOKBROKER_BIN is not set: point it at build/bin/hookbroker");
  return bin;
}

/** Starts a broker on an ephemeral port (or `port`), resolves once it listens. */
async function startBroker(args = [], { port = 0 } = {}) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "hookbroker-js-"));
  const proc = spawn(brokerBinary(), ["--port", String(port), ...args], {
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: home, XDG_STATE_HOME: home },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const onData = (chunk) => {
    output += chunk.toString();
  };
  proc.stdout.on("data", onData);
  proc.stderr.on("data", onData);
  const exited = new Promise((resolve) => proc.once("exit", (code, signal) => resolve({ code, signal })));

  const listening = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`broker did not listen in time:\n${output}`)), scaled(10000));
    const check = () => {
      const m = output.match(/listening on http:\/\/([^\s]+):(\d+)/);
      if (m) {
        clearTimeout(timer);
        clearInterval(poll);
        resolve({ host: m[1], port: Number(m[2]) });
      }
    };
    const poll = setInterval(check, 10);
    exited.then(({ code }) => {
      clearTimeout(timer);
      clearInterval(poll);
      reject(new Error(`broker exited (${code}) before listening:\n${output}`));
    });
  });

  return {
    port: listening.port,
    url: `http://127.0.0.1:${listening.port}`,
    output: () => output,
    /** SIGTERM, then the exit status. */
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGTERM");
      const status = await exited;
      fs.rmSync(home, { recursive: true, force: true });
      return status;
    },
  };
}

/** POST /api/events with a JSON body; resolves with the HTTP status. */
async function postEvent(broker, event, headers = {}) {
  const res = await fetch(`${broker.url}/api/events`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: JSON.stringify(event),
  });
  await res.arrayBuffer();
  return res.status;
}

/** Resolves with the first `name` event's arguments, or rejects after `ms`. */
function nextEvent(socket, name, ms = 5000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(name, handler);
      reject(new Error(`no '${name}' within ${scaled(ms)} ms`));
    }, scaled(ms));
    const handler = (...args) => {
      clearTimeout(timer);
      resolve(args);
    };
    socket.once(name, handler);
  });
}

/** Resolves once `predicate()` holds, polling; rejects after `ms`. */
async function waitFor(predicate, ms = 5000, what = "condition") {
  const deadline = Date.now() + scaled(ms);
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

module.exports = { startBroker, postEvent, nextEvent, waitFor, scaled };
