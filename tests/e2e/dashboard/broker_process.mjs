// Starts the real hookbroker binary for a browser test and talks to it over
// loopback HTTP. Output is kept so a failing test can show what the broker said.

import { spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export const timeScale = Number(process.env.HOOKBROKER_TEST_TIMEOUT_SCALE || 1) || 1;

/** Milliseconds scaled for slow (sanitizer) builds. */
export const ms = (n) => Math.round(n * timeScale);

export class BrokerProcess {
  /** Spawns `binary` with `args`; HOME and XDG dirs point into a fresh temp dir so no user config leaks in. */
  constructor(binary, args, what = 'broker') {
    this.what = what;
    this.home = mkdtempSync(join(tmpdir(), 'hookbroker-dashboard-'));
    this.output = '';
    this.exited = new Promise((resolve) => {
      this.child = spawn(binary, args, {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, HOME: this.home, XDG_CONFIG_HOME: join(this.home, 'config'), XDG_STATE_HOME: join(this.home, 'state') },
      });
      this.child.on('exit', (code, signal) => resolve({ code, signal }));
    });
    const keep = (chunk) => {
      this.output += chunk;
      if (this.output.length > 1 << 20) this.output = this.output.slice(-(1 << 19));
    };
    this.child.stdout.on('data', keep);
    this.child.stderr.on('data', keep);
  }

  /** Resolves with the first match of `regex` in the output; rejects after `timeoutMs` or on exit. */
  waitForLog(regex, timeoutMs) {
    return new Promise((resolve, reject) => {
      let timer = null;
      let poll = null;
      const finish = (fn, value) => {
        clearTimeout(timer);
        clearInterval(poll);
        fn(value);
      };
      const check = () => {
        const match = this.output.match(regex);
        if (match) finish(resolve, match);
      };
      poll = setInterval(check, 20);
      timer = setTimeout(() => finish(reject, new Error(`${this.what} did not log ${regex} within ${timeoutMs} ms; output:\n${this.output}`)), timeoutMs);
      this.exited.then(({ code, signal }) => {
        check();
        finish(reject, new Error(`${this.what} exited (code ${code}, signal ${signal}) before logging ${regex}; output:\n${this.output}`));
      });
      check();
    });
  }

  /** The port from the transport's "listening on http://HOST:PORT" line. */
  async port(timeoutMs = ms(10000)) {
    const match = await this.waitForLog(/listening on http:\/\/[^:\s]+:(\d+)/, timeoutMs);
    return Number(match[1]);
  }

  signal(name) {
    this.child.kill(name);
  }

  /** SIGTERM, then SIGKILL if it does not exit in time; resolves with the exit status. */
  async stop(timeoutMs = ms(5000)) {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.exited;
    this.child.kill('SIGCONT'); // a stopped process cannot act on SIGTERM
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    const status = await this.exited;
    clearTimeout(timer);
    return status;
  }
}

/** POSTs one event as JSON (with the broker's token, if it has one); resolves with the HTTP status. */
export async function postEvent(port, event, token = '') {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(`http://127.0.0.1:${port}/api/events`, {
    method: 'POST',
    headers,
    body: JSON.stringify(event),
  });
  await response.arrayBuffer();
  return response.status;
}

/** `name` on PATH (or under /usr/sbin, /usr/bin), or '' when it is not installed. */
export function findProgram(name) {
  for (const dir of [...(process.env.PATH || '').split(delimiter), '/usr/sbin', '/usr/bin']) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not here
    }
  }
  return '';
}

function freeLoopbackPort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** A real redis-server (Debian's package) on a free loopback port, without persistence; `.port`, `.stop()`. */
export async function startRedis(binary) {
  const port = await freeLoopbackPort();
  const redis = new BrokerProcess(binary, ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no',
    '--daemonize', 'no'], 'redis-server');
  await redis.waitForLog(/Ready to accept connections/, ms(10000));
  return { port, stop: () => redis.stop() };
}
