// Starts a real redis-server (Debian's package) on a free loopback port, no
// persistence, for a JavaScript test; stop() ends it.
"use strict";

const { spawn, execFileSync } = require("node:child_process");
const fs = require("node:fs");
const net = require("node:net");
const os = require("node:os");
const path = require("node:path");
const { scaled } = require("./broker");

/** The redis-server binary, or null when none is installed. */
function redisServerBinary() {
  if (process.env.HOOKBROKER_TEST_REDIS_SERVER) return process.env.HOOKBROKER_TEST_REDIS_SERVER;
  for (const candidate of ["/usr/bin/redis-server", "/usr/local/bin/redis-server"])
    if (fs.existsSync(candidate)) return candidate;
  try {
    return execFileSync("sh", ["-c", "command -v redis-server"]).toString().trim() || null;
  } catch {
    return null;
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function startRedis() {
  const binary = redisServerBinary();
  if (!binary) throw new Error("redis-server is not installed (scripts/install-deps.sh)");
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hookbroker-redis-"));
  const proc = spawn(binary, ["--bind", "127.0.0.1", "--port", String(port), "--dir", dir, "--save", "",
                              "--appendonly", "no"], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  proc.stdout.on("data", (c) => (output += c.toString()));
  proc.stderr.on("data", (c) => (output += c.toString()));
  const exited = new Promise((resolve) => proc.once("exit", resolve));
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${output}`)), scaled(10000));
    const poll = setInterval(() => {
      if (output.includes("Ready to accept connections")) {
        clearTimeout(timer);
        clearInterval(poll);
        resolve();
      }
    }, 10);
  });
  return {
    port,
    url: `redis://127.0.0.1:${port}/0`,
    output: () => output,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGKILL");
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

module.exports = { startRedis, redisServerBinary };
