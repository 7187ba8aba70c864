// Chart scaling and event summaries (dashboard/js/views/svg_chart.js, event_summary.js)
// and the stale rule (dashboard/js/net/connection_state.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { niceMaximum, windowStart } from '../../../dashboard/js/views/svg_chart.js';
import { summarizeEvent } from '../../../dashboard/js/views/event_summary.js';
import { ConnectionState, HEARTBEAT } from '../../../dashboard/js/net/connection_state.js';

test('y axes end on a round value above the data', () => {
  assert.equal(niceMaximum(0), 4);
  assert.equal(niceMaximum(1), 4 * 0.5); // 1.1 / 4 -> step 0.5
  assert.equal(niceMaximum(3.3), 4);
  assert.equal(niceMaximum(4), 8);
  assert.equal(niceMaximum(11.4), 20);
  for (const v of [0.3, 7, 42, 999, 12345]) {
    const max = niceMaximum(v);
    assert.ok(max > v, `${max} > ${v}`);
    assert.ok(max <= v * 2.6, `${max} is not far above ${v}`);
  }
});

test('plot windows narrow to the data but keep a minimum span', () => {
  const now = 10_000_000;
  assert.equal(windowStart([], now, 3600_000, 60_000), now - 60_000);
  assert.equal(windowStart([{ t: now - 5_000 }], now, 3600_000, 60_000), now - 60_000);
  assert.equal(windowStart([{ t: now - 600_000 }], now, 3600_000, 60_000), now - 600_000);
  assert.equal(windowStart([{ t: now - 7200_000 }], now, 3600_000, 60_000), now - 3600_000);
});

test('hook events are summarised by what they did', () => {
  assert.equal(summarizeEvent({ type: 'hook', subtype: 'pre_tool', data: { tool_name: 'Bash', tool_input: { command: 'npm test' } } }), 'Bash: npm test');
  assert.equal(summarizeEvent({ type: 'hook', subtype: 'pre_tool', data: { tool_name: 'Task', tool_input: { subagent_type: 'engineer', description: 'Fix it' } } }), 'Task → engineer: Fix it');
  assert.equal(summarizeEvent({ type: 'hook', subtype: 'user_prompt', data: { prompt: 'hello' } }), '“hello”');
  assert.equal(summarizeEvent({ type: 'hook', subtype: 'subagent_start', data: { agent_type: 'qa', agent_id: 'a1' } }), 'qa (a1)');
  assert.equal(summarizeEvent({ type: 'system', event: 'alert', data: { severity: 'warning', rule: 'cpu_high', state: 'firing' } }), 'warning · cpu_high · firing');
  assert.equal(summarizeEvent({ type: 'custom', data: { a: 1, b: 'x', c: { nested: true } } }), 'a=1 · b=x');
  assert.ok(summarizeEvent({ type: 'hook', subtype: 'user_prompt', data: { prompt: 'x'.repeat(500) } }).length <= 160);
});

test('stale means no heartbeat for twice the interval, and clears only with a heartbeat', () => {
  const state = new ConnectionState();
  state.setInterval(0.5);
  const start = state.watchSince;
  state.evaluate(start + 900);
  assert.equal(state.heartbeat, HEARTBEAT.WAITING);
  state.evaluate(start + 1100);
  assert.equal(state.heartbeat, HEARTBEAT.STALE);
  state.noteHeartbeat(0.5);
  assert.equal(state.heartbeat, HEARTBEAT.FRESH);
  const beatAt = state.lastHeartbeatAt;
  state.evaluate(beatAt + 999);
  assert.equal(state.heartbeat, HEARTBEAT.FRESH);
  state.evaluate(beatAt + 1001);
  assert.equal(state.heartbeat, HEARTBEAT.STALE);
  // A longer interval from the broker widens the allowance.
  state.setInterval(60);
  state.evaluate(beatAt + 1001);
  assert.equal(state.heartbeat, HEARTBEAT.FRESH);
});

test('the spend plot follows the telemetry the heartbeats carry', async () => {
  const { HeartbeatSeries, spendOf } = await import('../../../dashboard/js/model/heartbeat_series.js');
  assert.equal(spendOf({ telemetry: { spend: { cost_usd: 2.5 } }, usage: { cost_usd: 1 } }), 2.5, 'since the broker started, first');
  assert.equal(spendOf({ usage: { cost_usd: 1 } }), 1);
  assert.equal(spendOf({}), null);
  const series = new HeartbeatSeries('test-spend');
  const start = Date.UTC(2026, 11, 5, 6, 0, 0);
  const beat = (i, cost) => ({ timestamp: new Date(start + i * 10000).toISOString(),
    data: { uptime_seconds: i * 10, total_events: i, connected_clients: 1, ...(cost === undefined ? {} : { telemetry: { spend: { cost_usd: cost } } }) } });
  series.addHeartbeat(beat(0), start);
  series.addHeartbeat(beat(1, 0.5), start + 10000);
  series.addHeartbeat(beat(2, 0.75), start + 20000);
  assert.deepEqual(series.points('cost').map((p) => p.v), [0.5, 0.75]);
  assert.equal(series.latest('cost'), 0.75);
});
