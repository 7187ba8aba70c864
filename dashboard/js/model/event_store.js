// The events the page has seen, newest first, bounded so a dashboard left
// open for days holds at most `limit` of them.
//
// An event is recognised by its `event_id` when it has one (every event the
// hook forwarder sends does): a spooled event replayed after a broker crash
// comes back under the same id with "replayed": true, and the page shows it
// once. Events without an id (generic POSTs, system events) are recognised by
// their exact serialisation: the broker serialises each event once and sends
// the same bytes to everyone, so the `history` replayed after a reconnect
// repeats events the page already holds byte for byte, and those are skipped.

import { toDate } from '../lib/format.js';

export const DEFAULT_EVENT_LIMIT = 2000;

/** The label an event is filtered and shown by: hook subtype, system event name, else its type. */
export function eventKind(event) {
  if (event.type === 'system') return event.event || event.subtype || 'system';
  return event.subtype || event.event || event.type || 'event';
}

export class EventStore extends EventTarget {
  constructor(limit = DEFAULT_EVENT_LIMIT) {
    super();
    this.limit = limit;
    this.records = []; // newest first
    this.keys = new Set();
    this.nextId = 1;
    this.sessionIds = new Map(); // session id -> count of held events
    this.kinds = new Map(); // kind -> count of held events
    this.totalSeen = 0;
  }

  makeRecord(event, key, serialized) {
    const time = toDate(event.timestamp)?.getTime() ?? Date.now();
    return {
      id: this.nextId++,
      key,
      event,
      time,
      kind: eventKind(event),
      sessionId: event.session_id || '',
      // Lower-cased once, so text filtering 2,000 rows per keystroke stays cheap.
      text: serialized.toLowerCase(),
    };
  }

  /** Adds one live event; returns its record, or null when it is already held. */
  add(event) {
    const added = this.insertAll([event]);
    return added.length ? added[0] : null;
  }

  /** Adds a batch (e.g. `history`), keeping newest-first order; returns the records added. */
  merge(events) {
    return this.insertAll(Array.isArray(events) ? events : []);
  }

  insertAll(events) {
    const added = [];
    for (const event of events) {
      if (!event || typeof event !== 'object') continue;
      const serialized = JSON.stringify(event);
      const key = typeof event.event_id === 'string' && event.event_id ? `id:${event.event_id}` : serialized;
      if (this.keys.has(key)) continue;
      const record = this.makeRecord(event, key, serialized);
      this.keys.add(key);
      this.place(record);
      this.count(record, +1);
      this.totalSeen += 1;
      added.push(record);
    }
    const evicted = this.records.length > this.limit ? this.records.splice(this.limit) : [];
    for (const record of evicted) {
      this.keys.delete(record.key);
      this.count(record, -1);
    }
    const gone = new Set(evicted);
    const kept = added.filter((r) => !gone.has(r));
    if (kept.length || evicted.length) {
      this.dispatchEvent(new CustomEvent('change', { detail: { added: kept, evicted } }));
    }
    return kept;
  }

  /** Inserts by timestamp; live events are almost always newest, so look from the front. */
  place(record) {
    let i = 0;
    while (i < this.records.length && this.records[i].time > record.time) i += 1;
    this.records.splice(i, 0, record);
  }

  count(record, delta) {
    for (const [map, name] of [[this.sessionIds, record.sessionId], [this.kinds, record.kind]]) {
      if (!name) continue;
      const n = (map.get(name) || 0) + delta;
      if (n > 0) map.set(name, n);
      else map.delete(name);
    }
  }

  clear() {
    const evicted = this.records;
    this.records = [];
    this.keys.clear();
    this.sessionIds.clear();
    this.kinds.clear();
    this.dispatchEvent(new CustomEvent('change', { detail: { added: [], evicted } }));
  }
}
