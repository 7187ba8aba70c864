// Plot series derived from heartbeats (dashboard/js/model/heartbeat_series.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HeartbeatSeries, WINDOW_MS } from '../../../dashboard/js/model/heartbeat_series.js';

const T0 = Date.UTC(2024, 0, 1, 12, 0, 0);
const beat = (ms, uptime, total, clients = 1) => ({
  type: 'system', event: 'heartbeat', timestamp: new Date(ms).toISOString(),
  data: { uptime_seconds: uptime, total_events: total, connected_clients: clients },
});

test('events per second come from total_events growth over server time', () => {
  const series = new HeartbeatSeries('test');
  series.addHeartbeat(beat(T0, 100, 1000), T0);
  series.addHeartbeat(beat(T0 + 10_000, 110, 1050), T0 + 10_000);
  const rate = series.points('rate');
  assert.equal(rate.length, 1);
  assert.equal(rate[0].v, 5);
  assert.equal(series.latest('clients'), 1);
});

test('a broker restart (uptime goes back) gives no rate for that interval', () => {
  const series = new HeartbeatSeries('test');
  series.addHeartbeat(beat(T0, 100, 1000), T0);
  series.addHeartbeat(beat(T0 + 10_000, 1, 3, 2), T0 + 10_000);
  assert.equal(series.points('rate').length, 0);
  assert.equal(series.latest('clients'), 2);
  series.addHeartbeat(beat(T0 + 20_000, 11, 23, 2), T0 + 20_000);
  assert.equal(series.latest('rate'), 2);
});

test('samples are bucketed and only the last hour is kept, at any interval', () => {
  const series = new HeartbeatSeries('test');
  let total = 0;
  const end = T0 + 2 * 3600_000;
  for (let t = T0; t <= end; t += 500) {
    total += 3;
    series.addHeartbeat(beat(t, (t - T0) / 1000, total), t);
  }
  const clients = series.points('clients');
  assert.ok(clients.length <= WINDOW_MS / 5000 + 1, `${clients.length} points`);
  assert.ok(clients[0].t >= end - WINDOW_MS);
  for (const p of series.points('rate')) assert.ok(Math.abs(p.v - 6) < 1e-9, `rate ${p.v}`);
});

test('backfill from stored heartbeats fills only time before the live samples', () => {
  const now = T0 + 3600_000;
  const series = new HeartbeatSeries('test');
  series.addHeartbeat(beat(now - 10_000, 5000, 900, 3), now - 10_000);
  series.addHeartbeat(beat(now, 5010, 1000, 3), now);
  const stored = [0, 1, 2, 3].map((i) => beat(now - 600_000 + i * 60_000, 4000 + i * 60, i * 120, 1));
  stored.push(beat(now, 5010, 1000, 99)); // overlaps the live samples: ignored
  series.backfill(stored, now);
  const clients = series.points('clients');
  assert.deepEqual(clients.map((p) => p.v), [1, 1, 1, 1, 3, 3].slice(0, clients.length));
  assert.equal(series.latest('clients'), 3);
  assert.equal(series.points('rate').filter((p) => p.v === 2).length, 3);
  // The live rate continues from the live previous heartbeat, not the stored ones.
  series.addHeartbeat(beat(now + 10_000, 5020, 1100, 3), now + 10_000);
  assert.equal(series.latest('rate'), 10);
});
