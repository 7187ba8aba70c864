// What a session means for the person looking at the dashboard, from the
// tracker's session JSON (GET /api/sessions/{id}, get_session, heartbeats):
// whom it waits for, its agents as a tree, its tool calls on a timeline.
// Pure functions: no DOM, tested under Node (tests/unit/dashboard).

/**
 * Whom a session waits for, in a few kinds people can tell apart by colour:
 *   you      it waits for the user (input, a permission, an answer)
 *   working  Claude is working (or compacting)
 *   error    the last turn ended on an API error
 *   stale    it showed "working" with no event for a while (Esc sends no hook)
 *   ended    completed
 * `label` names the state; `detail` adds what else is going on.
 */
export function attentionOf(session) {
  const s = session || {};
  const background = Number(s.background_running) || 0;
  const inBackground = background > 0 ? `${background} in background` : '';
  const join = (...parts) => parts.filter(Boolean).join(' · ');
  if (s.status === 'completed' || s.activity === 'ended') return { kind: 'ended', label: 'Ended', detail: '' };
  if (s.stale) return { kind: 'stale', label: 'Stale', detail: join('no event for a while; interrupted?', inBackground) };
  switch (s.activity) {
    case 'waiting_for_permission': return { kind: 'you', urgent: true, label: 'Needs permission', detail: inBackground };
    case 'waiting_for_answer': return { kind: 'you', urgent: true, label: 'Needs an answer', detail: inBackground };
    case 'waiting_for_input': return { kind: 'you', label: 'Waiting for input', detail: inBackground };
    case 'error': {
      const type = s.last_error && s.last_error.type ? s.last_error.type.replace(/_/g, ' ') : 'API error';
      return { kind: 'error', label: 'Error', detail: join(type, inBackground) };
    }
    case 'compacting': return { kind: 'working', label: 'Compacting', detail: inBackground };
    default: return { kind: 'working', label: 'Working', detail: inBackground };
  }
}

/**
 * The agents as a tree: [{agent, children: [...]}], the main thread first.
 * A subagent whose parent is unknown (dropped, or never seen) hangs off the
 * main thread.
 */
export function agentTree(agents) {
  const list = Array.isArray(agents) ? agents : [];
  const main = list.find((a) => a && a.main) || { main: true, agent_type: 'main', status: 'running' };
  const nodes = new Map();
  const root = { agent: main, children: [] };
  for (const a of list) if (a && !a.main && a.agent_id) nodes.set(a.agent_id, { agent: a, children: [] });
  for (const a of list) {
    if (!a || a.main) continue;
    const node = (a.agent_id && nodes.get(a.agent_id)) || { agent: a, children: [] };
    const parent = a.parent_agent_id && nodes.get(a.parent_agent_id);
    (parent && parent !== node ? parent : root).children.push(node);
  }
  return root;
}

/** Milliseconds -> "4.2 s", "850 ms", "2 min 05 s"; "—" when unknown. */
export function formatMs(ms) {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(ms < 10000 ? 1 : 0)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/**
 * The tool calls as timeline rows, newest first: in-flight ones (outcome
 * "running") before the finished ones, each with its agent's type and a bar
 * width (0..1) relative to the longest duration shown.
 */
export function toolTimeline(session) {
  const tools = (session && session.tools) || {};
  const types = new Map();
  for (const a of (session && session.agents) || []) if (a && a.agent_id) types.set(a.agent_id, a.agent_type || 'subagent');
  const agentLabel = (id) => (id ? types.get(id) || 'subagent' : 'main');
  const now = Date.now();
  const rows = [];
  for (const c of [...(tools.in_flight || [])].reverse()) {
    const started = Date.parse(c.started_at);
    rows.push({ ...c, outcome: c.awaiting_permission ? 'awaiting permission' : 'running', agent: agentLabel(c.agent_id),
      duration_ms: Number.isFinite(started) ? Math.max(0, now - started) : null, running: true });
  }
  for (const c of tools.recent || []) rows.push({ ...c, agent: agentLabel(c.agent_id), running: false });
  const longest = Math.max(1, ...rows.map((r) => (typeof r.duration_ms === 'number' ? r.duration_ms : 0)));
  for (const r of rows) r.bar = typeof r.duration_ms === 'number' ? Math.max(0.02, r.duration_ms / longest) : 0;
  return rows;
}
