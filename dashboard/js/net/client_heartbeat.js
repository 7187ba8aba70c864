// The dashboard's side of two-way heartbeats (client_heartbeats plugin): it
// tells the broker it is alive and who it is, and measures the round trip
// from the acknowledgement, which it reports in its next beat. Sent only
// while the broker has that plugin loaded.

import { session } from '../lib/storage.js';

const CLIENT_ID_KEY = 'hookbroker.client_id';
const DEFAULT_PERIOD_MS = 10000;
const MIN_PERIOD_MS = 1000;

function clientId() {
  let id = session.get(CLIENT_ID_KEY, '');
  if (!id) {
    id = `dashboard-${Math.random().toString(36).slice(2, 10)}`;
    session.set(CLIENT_ID_KEY, id);
  }
  return id;
}

export class ClientHeartbeat {
  /** @param onRtt called with each measured round trip in ms */
  constructor(link, onRtt) {
    this.link = link;
    this.onRtt = onRtt;
    this.id = clientId();
    this.rttMs = null;
    this.timer = null;
    this.periodMs = DEFAULT_PERIOD_MS;
  }

  /** From `status`: beat while the plugin is loaded, stop otherwise. */
  applyStatus(status) {
    const loaded = Array.isArray(status && status.plugins) && status.plugins.includes('client_heartbeats');
    this.stop();
    if (loaded) {
      this.beat();
      this.timer = setInterval(() => this.beat(), this.periodMs);
    }
  }

  /** From the heartbeat's `clients`: beat three times per stale allowance, so one lost beat does not flag us. */
  applyHeartbeat(clients) {
    const staleAfter = clients && Number(clients.stale_after_seconds);
    if (!(staleAfter > 0) || !this.timer) return;
    const period = Math.max(MIN_PERIOD_MS, Math.min(DEFAULT_PERIOD_MS, (staleAfter * 1000) / 3));
    if (period !== this.periodMs) {
      this.periodMs = period;
      clearInterval(this.timer);
      this.timer = setInterval(() => this.beat(), this.periodMs);
    }
  }

  stop() {
    clearInterval(this.timer);
    this.timer = null;
  }

  async beat() {
    if (!this.link.socket.connected) return;
    const sentAt = performance.now();
    try {
      const answer = await this.link.request('client_heartbeat', { client_id: this.id, name: 'dashboard', rtt_ms: this.rttMs, sent_at: Date.now() });
      if (answer && answer.error) {
        this.stop(); // the broker does not take client heartbeats after all
        return;
      }
      this.rttMs = Math.round((performance.now() - sentAt) * 100) / 100;
      this.onRtt(this.rttMs);
    } catch {
      // No answer in time: the heartbeat watchdog already shows a silent broker.
    }
  }
}
