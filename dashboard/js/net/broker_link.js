// The dashboard's one connection to the broker: a Socket.IO client (the
// npm socket.io-client build the broker serves) plus authorised REST calls
// to the same origin.

import { session } from '../lib/storage.js';

const TOKEN_KEY = 'hookbroker.token';

/**
 * The broker's token when it has one: taken from the page's #token=… fragment
 * (fragments are never sent to servers, so it stays out of logs) and kept for
 * this tab only.
 */
function initialToken() {
  const match = window.location.hash.match(/(?:^#|&)token=([^&]+)/);
  if (match) {
    const token = decodeURIComponent(match[1]);
    session.set(TOKEN_KEY, token);
    history.replaceState(null, '', window.location.pathname + window.location.search);
    return token;
  }
  return session.get(TOKEN_KEY, '');
}

export class BrokerLink {
  constructor() {
    if (typeof window.io !== 'function') {
      throw new Error('the Socket.IO client (vendor/socket.io.js) did not load: rebuild with node_modules installed (npm ci)');
    }
    this.token = initialToken();
    this.handlers = new Map();
    this.socket = window.io({
      autoConnect: false,
      auth: (cb) => cb(this.token ? { token: this.token } : {}),
      // Come back quickly after a broker restart, without hammering it.
      reconnectionDelay: 500,
      reconnectionDelayMax: 3000,
      timeout: 5000,
    });
    // A server-side disconnect (e.g. the broker shutting the socket) is not
    // retried by socket.io itself; a dashboard should always try again.
    this.socket.on('disconnect', (reason) => {
      if (reason === 'io server disconnect') setTimeout(() => this.socket.connect(), 1000);
    });
  }

  /** Subscribes to a socket event or to the manager's reconnect events ("reconnect_attempt"). */
  on(event, handler) {
    if (event.startsWith('reconnect')) this.socket.io.on(event, handler);
    else this.socket.on(event, handler);
    return this;
  }

  connect() {
    this.socket.connect();
  }

  setToken(token) {
    this.token = token;
    session.set(TOKEN_KEY, token);
    this.socket.disconnect();
    this.socket.connect();
  }

  /** Emits with an acknowledgement; rejects when the broker does not answer in time. */
  request(event, payload, timeoutMs = 5000) {
    return new Promise((resolve, reject) => {
      this.socket.timeout(timeoutMs).emit(event, payload, (err, answer) => {
        if (err) reject(new Error(`${event}: no answer within ${timeoutMs} ms`));
        else resolve(answer);
      });
    });
  }

  /** GET a same-origin JSON route with the broker token; throws with the broker's error text. */
  async getJson(path, { signal } = {}) {
    const headers = { Accept: 'application/json' };
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    const response = await fetch(path, { headers, signal, cache: 'no-store' });
    let body = null;
    try {
      body = await response.json();
    } catch {
      body = null;
    }
    if (!response.ok) {
      const error = new Error((body && body.error) || `${path} answered ${response.status}`);
      error.status = response.status;
      throw error;
    }
    return body;
  }
}
