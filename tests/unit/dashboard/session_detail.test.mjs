// What the session detail and the sessions table show (dashboard/js/model/session_detail.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { agentTree, attentionOf, formatMs, toolTimeline } from '../../../dashboard/js/model/session_detail.js';

test('attention says whom a session waits for, in kinds told apart by colour', () => {
  assert.equal(attentionOf({ activity: 'working' }).kind, 'working');
  assert.equal(attentionOf({ activity: 'compacting' }).label, 'Compacting');
  const waiting = attentionOf({ activity: 'waiting_for_input', background_running: 2 });
  assert.deepEqual([waiting.kind, waiting.label, waiting.detail], ['you', 'Waiting for input', '2 in background']);
  assert.equal(attentionOf({ activity: 'waiting_for_permission' }).urgent, true);
  assert.equal(attentionOf({ activity: 'waiting_for_answer' }).label, 'Needs an answer');
  const error = attentionOf({ activity: 'error', last_error: { type: 'rate_limit', details: '429' } });
  assert.deepEqual([error.kind, error.detail], ['error', 'rate limit']);
  assert.equal(attentionOf({ activity: 'working', stale: true }).kind, 'stale');
  assert.equal(attentionOf({ status: 'completed', activity: 'ended', stale: true }).kind, 'ended');
  assert.equal(attentionOf(null).kind, 'working');
});

test('agents form a tree under the main thread, nested ones under their parent', () => {
  const tree = agentTree([
    { main: true, agent_id: null, agent_type: 'main' },
    { agent_id: 'outer', agent_type: 'Plan', parent_agent_id: null },
    { agent_id: 'inner', agent_type: 'Explore', parent_agent_id: 'outer' },
    { agent_id: 'orphan', agent_type: 'qa', parent_agent_id: 'dropped-long-ago' },
    { agent_id: null, agent_type: 'Explore', parent_agent_id: null }, // launched, not started yet
  ]);
  assert.equal(tree.agent.agent_type, 'main');
  assert.deepEqual(tree.children.map((n) => n.agent.agent_type), ['Plan', 'qa', 'Explore']);
  assert.deepEqual(tree.children[0].children.map((n) => n.agent.agent_id), ['inner']);
  assert.equal(agentTree(undefined).children.length, 0);
});

test('tool calls become timeline rows: in flight first, bars relative to the longest', () => {
  const session = {
    agents: [{ main: true, agent_id: null }, { agent_id: 'a1', agent_type: 'Explore' }],
    tools: {
      in_flight: [{ tool_use_id: 't3', tool_name: 'Read', agent_id: null, started_at: new Date(Date.now() - 500).toISOString(), awaiting_permission: false }],
      recent: [
        { tool_use_id: 't2', tool_name: 'Bash', agent_id: 'a1', duration_ms: 4000, outcome: 'failed', error: 'Exit code 1' },
        { tool_use_id: 't1', tool_name: 'Grep', agent_id: 'a1', duration_ms: 1000, outcome: 'ok' },
        { tool_use_id: null, tool_name: 'Write', agent_id: null, duration_ms: null, outcome: 'interrupted' },
      ],
    },
  };
  const rows = toolTimeline(session);
  assert.deepEqual(rows.map((r) => r.tool_use_id), ['t3', 't2', 't1', null]);
  assert.equal(rows[0].outcome, 'running');
  assert.equal(rows[0].agent, 'main');
  assert.equal(rows[1].agent, 'Explore');
  assert.equal(rows[1].bar, 1);
  assert.equal(rows[2].bar, 0.25);
  assert.equal(rows[3].bar, 0);
});

test('durations read naturally', () => {
  assert.equal(formatMs(41), '41 ms');
  assert.equal(formatMs(4187), '4.2 s');
  assert.equal(formatMs(42000), '42 s');
  assert.equal(formatMs(125000), '2 min 05 s');
  assert.equal(formatMs(null), '—');
});
