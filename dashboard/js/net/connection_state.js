// What the header tells the user about the link: is the socket up, and is
// the broker alive? The second question is answered by heartbeats alone: a
// socket can stay open to a frozen process (SIGSTOP, a stuck event loop), so
// "stale" means no heartbeat for twice the broker's interval, whatever the
// socket says. It clears only when a heartbeat arrives again.

export const SOCKET = Object.freeze({
  CONNECTING: 'connecting',
  CONNECTED: 'connected',
  RECONNECTING: 'reconnecting',
  UNAUTHORIZED: 'unauthorized',
});

export const HEARTBEAT = Object.freeze({
  WAITING: 'waiting', // no heartbeat yet, still within 2x the interval
  FRESH: 'fresh',
  STALE: 'stale',
});

// Until the broker tells us (status / server_info), assume the core's default.
const DEFAULT_INTERVAL_S = 60;

export class ConnectionState extends EventTarget {
  constructor() {
    super();
    this.socket = SOCKET.CONNECTING;
    this.heartbeat = HEARTBEAT.WAITING;
    this.intervalSeconds = DEFAULT_INTERVAL_S;
    this.lastHeartbeatAt = null; // client clock, ms
    this.watchSince = Date.now(); // staleness is measured from here until a heartbeat arrives
    this.reconnectAttempts = 0;
    this.lastError = '';
    this.rttMs = null; // measured by two-way client heartbeats, when the broker takes them
  }

  setSocket(state, detail = '') {
    if (state === SOCKET.CONNECTED) this.reconnectAttempts = 0;
    else this.rttMs = null;
    this.lastError = detail;
    this.socket = state;
    this.evaluate();
    this.changed();
  }

  noteRtt(ms) {
    this.rttMs = ms;
    this.changed();
  }

  noteReconnectAttempt(attempt) {
    this.reconnectAttempts = attempt;
    this.changed();
  }

  setInterval(seconds) {
    if (typeof seconds === 'number' && seconds > 0 && seconds !== this.intervalSeconds) {
      this.intervalSeconds = seconds;
      this.evaluate();
    }
  }

  noteHeartbeat(intervalSeconds) {
    this.setInterval(intervalSeconds);
    this.lastHeartbeatAt = Date.now();
    this.evaluate();
  }

  /** Milliseconds allowed between heartbeats before the broker counts as stale. */
  staleAfterMs() {
    return 2 * this.intervalSeconds * 1000;
  }

  sinceHeartbeatMs(now = Date.now()) {
    return this.lastHeartbeatAt === null ? null : now - this.lastHeartbeatAt;
  }

  /** Re-derives the heartbeat state; called on every change and by a timer. */
  evaluate(now = Date.now()) {
    const reference = this.lastHeartbeatAt ?? this.watchSince;
    let next;
    if (now - reference > this.staleAfterMs()) next = HEARTBEAT.STALE;
    else next = this.lastHeartbeatAt === null ? HEARTBEAT.WAITING : HEARTBEAT.FRESH;
    if (next !== this.heartbeat) {
      this.heartbeat = next;
      this.changed();
    }
  }

  changed() {
    this.dispatchEvent(new Event('change'));
  }
}
