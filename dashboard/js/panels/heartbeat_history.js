// Stored heartbeats, from GET /api/history when the history_sqlite plugin
// keeps them on disk: `type=heartbeat&from=<ISO>&limit=…`, newest first,
// following `next_cursor` for older pages within a bound (a long range at a
// short interval shows its newest part rather than loading without end).
// Anything in the answer that is not a heartbeat is dropped, so an older
// broker's answer is harmless.

import { toDate } from '../lib/format.js';

const PAGE_LIMIT = 1000; // history_sqlite's largest page
const MAX_PAGES = 6;

export const isHeartbeat = (e) => e && e.type === 'system' && (e.event === 'heartbeat' || e.subtype === 'heartbeat');

/** Heartbeats since `sinceMs`, oldest first. */
export async function fetchHeartbeats(link, sinceMs, { signal } = {}) {
  const from = new Date(sinceMs).toISOString();
  const found = [];
  let cursor = '';
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const query = new URLSearchParams({ type: 'heartbeat', from, limit: String(PAGE_LIMIT) });
    if (cursor) query.set('cursor', cursor);
    const answer = await link.getJson(`/api/history?${query}`, { signal });
    const events = Array.isArray(answer) ? answer : Array.isArray(answer && answer.events) ? answer.events : [];
    for (const e of events) {
      const t = toDate(e && e.timestamp)?.getTime();
      if (isHeartbeat(e) && t !== undefined && t >= sinceMs) found.push(e);
    }
    cursor = answer && typeof answer.next_cursor === 'string' ? answer.next_cursor : '';
    if (!cursor || !events.length) break;
  }
  found.sort((a, b) => String(a.timestamp).localeCompare(String(b.timestamp)));
  return found;
}
