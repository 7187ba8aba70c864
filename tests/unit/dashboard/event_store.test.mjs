// The dashboard's bounded event store (dashboard/js/model/event_store.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventStore, eventKind } from '../../../dashboard/js/model/event_store.js';

const hook = (n, session = 's1', subtype = 'pre_tool') => ({
  type: 'hook', subtype, timestamp: new Date(Date.UTC(2024, 0, 1, 0, 0, n)).toISOString(), session_id: session, source: 'hook', data: { n },
});

test('keeps events newest first, whatever order they arrive in', () => {
  const store = new EventStore(10);
  store.merge([hook(1), hook(3)]);
  store.add(hook(2));
  assert.deepEqual(store.records.map((r) => r.event.data.n), [3, 2, 1]);
});

test('an event seen before (history replayed after a reconnect) is not added twice', () => {
  const store = new EventStore(10);
  store.merge([hook(1), hook(2)]);
  assert.equal(store.add(hook(2)), null);
  const added = store.merge([hook(1), hook(2), hook(3)]);
  assert.deepEqual(added.map((r) => r.event.data.n), [3]);
  assert.equal(store.records.length, 3);
});

test('an event replayed after a broker crash (same event_id, "replayed": true) is shown once', () => {
  const store = new EventStore(10);
  const live = { ...hook(1), event_id: '0123456789abcdef0123456789abcdef' };
  assert.ok(store.add(live));
  assert.equal(store.add({ ...live, replayed: true, source: 'spool' }), null);
  // Different ids are different events even when every other byte matches.
  assert.ok(store.add({ ...live, event_id: 'fedcba9876543210fedcba9876543210' }));
  assert.equal(store.records.length, 2);
  // Text filtering still sees the event's content, not its key.
  assert.match(store.records[0].text, /"subtype":"pre_tool"/);
});

test('holds at most its limit, dropping the oldest, and forgets what it dropped', () => {
  const store = new EventStore(3);
  const changes = [];
  store.addEventListener('change', (e) => changes.push(e.detail));
  for (let n = 1; n <= 5; n += 1) store.add(hook(n, n % 2 ? 'odd' : 'even'));
  assert.deepEqual(store.records.map((r) => r.event.data.n), [5, 4, 3]);
  assert.deepEqual(changes.at(-1).evicted.map((r) => r.event.data.n), [2]);
  assert.equal(store.keys.size, 3);
  assert.equal(store.sessionIds.get('odd'), 2);
  assert.equal(store.sessionIds.get('even'), 1);
  // An older event than everything held is dropped at once, and reported as nothing added.
  assert.equal(store.add(hook(0)), null);
  assert.equal(store.records.length, 3);
});

test('a batch larger than the limit keeps only the newest', () => {
  const store = new EventStore(100);
  const added = store.merge(Array.from({ length: 250 }, (_, i) => hook(i % 60, `s${Math.floor(i / 60)}`, `k${i}`)));
  assert.equal(store.records.length, 100);
  assert.equal(added.length, 100);
  assert.equal(store.keys.size, 100);
});

test('event kinds: hook subtype, system event name', () => {
  assert.equal(eventKind({ type: 'hook', subtype: 'user_prompt' }), 'user_prompt');
  assert.equal(eventKind({ type: 'system', event: 'alert', subtype: 'x' }), 'alert');
  assert.equal(eventKind({ type: 'custom' }), 'custom');
});

test('clear empties everything and reports the evicted records', () => {
  const store = new EventStore(10);
  store.merge([hook(1), hook(2)]);
  let detail = null;
  store.addEventListener('change', (e) => { detail = e.detail; });
  store.clear();
  assert.equal(store.records.length, 0);
  assert.equal(detail.evicted.length, 2);
  assert.equal(store.add(hook(1)) !== null, true);
});
