// The time series behind the plots, derived from heartbeats:
//   events per second = growth of total_events between two heartbeats of the
//                       same broker run, over the server time between them;
//   connected clients = as each heartbeat reports it;
//   spend             = the dollars Claude Code reported since the broker
//                       started (otlp_claude's telemetry.spend), else over
//                       the sessions tracked now (sessions_memory's usage).
// Heartbeats count every event, including ones this page never received, so
// the rate is right even for a page opened mid-burst. Samples fall into fixed
// buckets and one hour is kept: a bounded number of points at any interval.
// The series is remembered per broker address, so a reload keeps the plots.

import { local } from '../lib/storage.js';
import { toDate } from '../lib/format.js';

export const WINDOW_MS = 60 * 60 * 1000;
const BUCKET_MS = 5000;
const SAVE_EVERY_MS = 10000;
const STORAGE_VERSION = 1;

/** Dollars a heartbeat reports, or null when it carries none. */
export function spendOf(data) {
  const since = data.telemetry && data.telemetry.spend && data.telemetry.spend.cost_usd;
  if (typeof since === 'number' && Number.isFinite(since)) return since;
  const live = data.usage && data.usage.cost_usd;
  return typeof live === 'number' && Number.isFinite(live) ? live : null;
}

export class HeartbeatSeries {
  constructor(storageKey) {
    this.storageKey = storageKey;
    this.buckets = []; // oldest first: {t, events, seconds, clients}
    this.previous = null; // last heartbeat used: {time, uptime, total}
    this.lastSavedAt = 0;
    this.restore();
  }

  restore() {
    const saved = local.get(this.storageKey);
    if (!saved || saved.version !== STORAGE_VERSION || !Array.isArray(saved.buckets)) return;
    this.buckets = saved.buckets.filter((b) => b && typeof b.t === 'number');
    this.previous = saved.previous || null;
    this.prune(Date.now());
  }

  save(now = Date.now(), force = false) {
    if (!force && now - this.lastSavedAt < SAVE_EVERY_MS) return;
    this.lastSavedAt = now;
    local.set(this.storageKey, { version: STORAGE_VERSION, buckets: this.buckets, previous: this.previous });
  }

  /** Adds one heartbeat (the full system_event payload). */
  addHeartbeat(heartbeat, receivedAt = Date.now()) {
    const sample = this.sampleOf(heartbeat, receivedAt);
    if (!sample) return;
    this.record(sample, receivedAt);
    this.prune(receivedAt);
    this.save(receivedAt);
  }

  /**
   * Seeds the series from stored heartbeats (history_sqlite), oldest first.
   * Only fills time not already covered, so live samples are never replaced.
   */
  backfill(heartbeats, now = Date.now()) {
    const firstLive = this.buckets.length ? this.buckets[0].t : Infinity;
    const saved = this.previous;
    this.previous = null;
    const older = [];
    for (const hb of heartbeats) {
      const time = toDate(hb.timestamp)?.getTime();
      if (time === undefined || time >= firstLive || now - time > WINDOW_MS) continue;
      const sample = this.sampleOf(hb, time);
      if (sample) older.push({ sample, time });
    }
    const live = this.buckets;
    this.buckets = [];
    for (const { sample, time } of older) this.record(sample, time);
    this.buckets.push(...live);
    this.previous = saved;
    this.prune(now);
  }

  sampleOf(heartbeat, fallbackTime) {
    const data = heartbeat && heartbeat.data;
    if (!data || typeof data !== 'object') return null;
    const time = toDate(heartbeat.timestamp)?.getTime() ?? fallbackTime;
    const uptime = Number(data.uptime_seconds);
    const total = Number(data.total_events);
    const current = { time, uptime, total };
    let events = 0;
    let seconds = 0;
    const prev = this.previous;
    // Same broker run: uptime did not go back and the counter did not shrink.
    // Otherwise the broker restarted and there is no rate for this interval.
    if (prev && uptime >= prev.uptime && total >= prev.total && time > prev.time) {
      events = total - prev.total;
      seconds = (time - prev.time) / 1000;
      // A gap far longer than an interval (page asleep, broker frozen) would
      // smear a burst over the whole gap: leave it out of the rate.
      if (seconds > 600) {
        events = 0;
        seconds = 0;
      }
    }
    this.previous = current;
    const clients = Number(data.connected_clients);
    return { events, seconds, clients: Number.isFinite(clients) ? clients : null, cost: spendOf(data) };
  }

  record(sample, at) {
    const t = Math.floor(at / BUCKET_MS) * BUCKET_MS;
    let bucket = this.buckets[this.buckets.length - 1];
    if (!bucket || bucket.t !== t) {
      bucket = { t, events: 0, seconds: 0, clients: null, cost: null };
      this.buckets.push(bucket);
    }
    bucket.events += sample.events;
    bucket.seconds += sample.seconds;
    if (sample.clients !== null) bucket.clients = Math.max(bucket.clients ?? 0, sample.clients);
    if (sample.cost !== null) bucket.cost = sample.cost;  // the latest figure in the bucket
  }

  prune(now) {
    const oldest = now - WINDOW_MS;
    let drop = 0;
    while (drop < this.buckets.length && this.buckets[drop].t < oldest) drop += 1;
    if (drop) this.buckets.splice(0, drop);
  }

  /** [{t, v}] for "rate" (events per second), "clients" or "cost" (USD); buckets without a value are skipped. */
  points(metric) {
    const out = [];
    for (const b of this.buckets) {
      if (metric === 'rate') {
        if (b.seconds > 0) out.push({ t: b.t + BUCKET_MS / 2, v: b.events / b.seconds });
      } else if (metric === 'cost') {
        if (typeof b.cost === 'number') out.push({ t: b.t + BUCKET_MS / 2, v: b.cost });
      } else if (b.clients !== null) {
        out.push({ t: b.t + BUCKET_MS / 2, v: b.clients });
      }
    }
    return out;
  }

  latest(metric) {
    const pts = this.points(metric);
    return pts.length ? pts[pts.length - 1].v : null;
  }

  /** Points further apart than this are drawn as a gap, not joined. */
  gapMs(intervalSeconds) {
    return Math.max(3 * intervalSeconds * 1000, 3 * BUCKET_MS);
  }
}
