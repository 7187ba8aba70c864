// The drawer that opens when a session is clicked: whom it waits for, its
// facts, its last error, its agents as a tree, its tool calls on a timeline
// with durations and failures, and the last messages. Read with the
// Socket.IO request get_session (the same as GET /api/sessions/{id}) and
// read again while it is open and the session's events arrive.

import { byId, h, replaceChildren, setText } from '../lib/dom.js';
import { formatCost, formatDateTime, formatNumber, formatTokens, shortId, totalTokens, truncate } from '../lib/format.js';
import { agentTree, attentionOf, formatMs, toolTimeline } from '../model/session_detail.js';

const REFRESH_DELAY_MS = 200;
const MAX_TIMELINE_ROWS = 60;

function pill(kind, text, title) {
  return h('span', { class: ['pill-state', `state-${kind}`], title }, text);
}

function fact(label, value, title) {
  if (value === null || value === undefined || value === '') return null;
  return h('span', { class: 'fact' }, h('span', { class: 'fact-label' }, `${label} `), h('span', { class: 'fact-value', title }, String(value)));
}

function duration(from, to) {
  const a = Date.parse(from);
  const b = to ? Date.parse(to) : Date.now();
  return Number.isFinite(a) && Number.isFinite(b) ? formatMs(Math.max(0, b - a)) : '—';
}

function agentNode(node, depth) {
  const a = node.agent;
  const state = a.status === 'running' ? (a.activity || 'working') : a.status;
  const kind = a.status === 'failed' ? 'error' : a.status !== 'running' ? 'ended'
    : /^waiting/.test(state) ? 'you' : state === 'error' ? 'error' : 'working';
  const item = h('li', { class: 'agent-node', 'data-agent-id': a.agent_id || 'main', 'data-status': a.status, style: `--depth:${depth}` },
    h('div', { class: 'agent-line' },
      h('span', { class: 'agent-type' }, a.main ? `main thread${a.agent_type && a.agent_type !== 'main' ? ` (${a.agent_type})` : ''}` : (a.agent_type || 'subagent')),
      a.agent_id ? h('span', { class: 'mono muted', title: a.agent_id }, shortId(a.agent_id, 10)) : null,
      pill(kind, state.replace(/_/g, ' ')),
      a.background ? h('span', { class: 'chip', title: 'launched with run_in_background, or outlived its parent\'s turn' }, 'background') : null,
      a.resolved_model ? h('span', { class: 'chip muted' }, a.resolved_model) : null,
      h('span', { class: 'muted agent-time', title: `${a.started_at || ''} → ${a.ended_at || 'now'}` },
        `${formatDateTime(a.started_at)} · ${duration(a.started_at, a.ended_at)}`)),
    a.last_assistant_message
      ? h('div', { class: 'agent-message', title: a.last_assistant_message }, truncate(a.last_assistant_message, 220))
      : null);
  const children = node.children.map((c) => agentNode(c, depth + 1));
  return [item, ...children];
}

function timelineRow(r) {
  const kind = r.running ? (r.outcome === 'awaiting permission' ? 'you' : 'working')
    : r.outcome === 'ok' ? 'ok' : r.outcome === 'failed' ? 'error' : r.outcome === 'denied' ? 'you' : 'ended';
  return h('tr', { class: ['tool-row', `outcome-${r.outcome.replace(/ /g, '_')}`], 'data-tool-use-id': r.tool_use_id || '' },
    h('td', { class: 'time' }, formatDateTime(r.started_at || r.ended_at)),
    h('td', { class: 'mono tool-name', title: r.tool_name }, truncate(r.tool_name, 36)),
    h('td', { class: 'muted' }, r.agent),
    h('td', { class: 'bar-cell' },
      h('span', { class: ['bar', `bar-${kind}`], style: `width:${Math.round(r.bar * 100)}%` }),
      h('span', { class: 'bar-label' }, formatMs(r.duration_ms))),
    h('td', {}, pill(kind, r.outcome + (r.inferred ? '?' : ''), r.inferred ? 'no result came: its agent\'s turn ended first' : undefined)),
    h('td', { class: 'tool-error', title: r.error || '' }, r.error || ''));
}

/** Spend from the session's telemetry, split by model and by agent (docs/telemetry.md). */
function usageSection(usage) {
  if (!usage) return null;
  const table = (title, split) => {
    const rows = Object.entries(split || {}).sort((a, b) => (b[1].cost_usd || 0) - (a[1].cost_usd || 0));
    if (!rows.length) return null;
    return h('table', { class: 'data-table usage-table', 'data-split': title.toLowerCase() },
      h('thead', {}, h('tr', {}, h('th', {}, title), h('th', { class: 'num' }, 'Cost'), h('th', { class: 'num' }, 'Input'),
        h('th', { class: 'num' }, 'Output'), h('th', { class: 'num' }, 'Cache read'), h('th', { class: 'num' }, 'Requests'), h('th', { class: 'num' }, 'Errors'))),
      h('tbody', {}, rows.map(([name, t]) => h('tr', {},
        h('td', { class: 'mono' }, name), h('td', { class: 'num' }, formatCost(t.cost_usd)),
        h('td', { class: 'num' }, formatTokens(t.input_tokens)), h('td', { class: 'num' }, formatTokens(t.output_tokens)),
        h('td', { class: 'num' }, formatTokens(t.cache_read_tokens)), h('td', { class: 'num' }, formatNumber(t.api_requests || 0)),
        h('td', { class: 'num' }, formatNumber(t.api_errors || 0))))));
  };
  const errors = Object.entries(usage.errors_by_status || {}).map(([code, n]) => `${n}× ${code}`).join(', ');
  return [
    h('div', { class: 'subhead' }, 'Cost and tokens',
      h('span', { class: 'muted sub-count' }, ` ${formatCost(usage.cost_usd)} · ${formatTokens(totalTokens(usage))} tokens · from ${usage.source}${errors ? ` · API errors ${errors}` : ''}`)),
    table('Model', usage.by_model),
    table('Agent', usage.by_agent),
  ];
}

export class SessionDetailView {
  constructor(link, { onShowEvents }) {
    this.link = link;
    this.drawer = byId('session-detail');
    this.title = byId('session-detail-title');
    this.meta = byId('session-detail-meta');
    this.body = byId('session-detail-body');
    this.sessionId = null;
    this.timer = null;
    this.seq = 0;
    byId('session-detail-close').addEventListener('click', () => this.close());
    byId('session-detail-events').addEventListener('click', () => {
      if (this.sessionId) onShowEvents(this.sessionId);
      this.close();
    });
    document.addEventListener('keydown', (e) => { if (e.key === 'Escape') this.close(); });
  }

  get openId() { return this.drawer.hidden ? null : this.sessionId; }

  open(sessionId) {
    this.sessionId = sessionId;
    this.shown = null;
    this.drawer.hidden = false;
    this.drawer.dataset.sessionId = sessionId;
    document.body.classList.add('drawer-open');
    setText(this.title, shortId(sessionId, 18));
    replaceChildren(this.body, h('div', { class: 'muted' }, 'Loading…'));
    this.refresh();
  }

  close() {
    this.drawer.hidden = true;
    this.sessionId = null;
    document.body.classList.remove('drawer-open');
  }

  /** Reads the session again soon, when it is the one shown. */
  refreshSoon(sessionId) {
    if (!this.openId || (sessionId && sessionId !== this.sessionId) || this.timer) return;
    this.timer = setTimeout(() => { this.timer = null; this.refresh(); }, REFRESH_DELAY_MS);
  }

  /** A listing of sessions arrived (heartbeat): read again when the shown one changed meanwhile (e.g. turned stale). */
  noteListing(sessions) {
    if (!this.openId || !this.shown || !Array.isArray(sessions)) return;
    const now = sessions.find((x) => x && x.session_id === this.sessionId);
    if (now && (now.last_activity !== this.shown.last_activity || now.stale !== this.shown.stale || now.activity !== this.shown.activity)) {
      this.refreshSoon(this.sessionId);
    }
  }

  async refresh() {
    const id = this.sessionId;
    if (!id) return;
    const seq = ++this.seq;
    let answer;
    try {
      answer = await this.link.request('get_session', { session_id: id });
    } catch (err) {
      answer = { error: err.message };
    }
    if (seq !== this.seq || id !== this.sessionId) return; // a newer read, or another session
    if (!answer || answer.error || !answer.session) {
      this.drawer.dataset.state = 'error';
      replaceChildren(this.body, h('div', { class: 'panel-error' }, (answer && answer.error) || 'no answer'));
      return;
    }
    this.drawer.dataset.state = 'loaded';
    this.render(answer.session);
  }

  render(s) {
    this.shown = s;
    const attention = attentionOf(s);
    this.drawer.dataset.attention = attention.kind;
    setText(this.title, s.title || shortId(s.session_id, 18));
    replaceChildren(this.meta,
      pill(attention.kind, attention.label),
      attention.detail ? h('span', {}, attention.detail) : null,
      h('span', { class: 'mono', title: s.session_id }, shortId(s.session_id, 12)));

    const facts = h('div', { class: 'facts' },
      fact('Model', s.model), fact('Status', s.status), fact('Started', formatDateTime(s.start_time), s.start_time),
      fact('Start', s.start_source), fact('Ended', s.end_reason), fact('Prompts', s.prompt_count),
      fact('Permission mode', s.permission_mode), fact('Events', s.event_count), fact('Directory', s.cwd));

    const error = s.last_error
      ? h('div', { class: 'error-box', role: 'alert' },
        h('strong', {}, s.last_error.type.replace(/_/g, ' ')),
        s.last_error.details ? ` — ${s.last_error.details}` : '',
        h('span', { class: 'muted' }, ` · ${formatDateTime(s.last_error.at)}`))
      : null;

    const tree = agentTree(s.agents);
    const agents = h('ul', { class: 'agent-tree' }, agentNode(tree, 0));

    const rows = toolTimeline(s);
    const tools = s.tools || {};
    const byTool = Object.entries(tools.by_tool || {}).sort((a, b) => b[1].calls - a[1].calls).map(([name, t]) =>
      h('span', { class: ['chip', t.failed ? 'chip-error' : ''], title: `${t.calls} calls, ${t.failed} failed, ${t.denied} denied, ${t.interrupted} interrupted` },
        `${name} ${t.calls}${t.failed ? ` · ${t.failed} failed` : ''}`));
    const timeline = rows.length
      ? h('table', { class: 'data-table tool-timeline' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Time'), h('th', {}, 'Tool'), h('th', {}, 'Agent'), h('th', {}, 'Duration'), h('th', {}, 'Outcome'), h('th', {}, 'Error'))),
        h('tbody', {}, rows.slice(0, MAX_TIMELINE_ROWS).map(timelineRow)))
      : h('div', { class: 'muted' }, 'No tool calls yet.');

    const texts = [
      s.last_prompt ? [h('div', { class: 'subhead' }, 'Last prompt'), h('blockquote', { class: 'quote' }, s.last_prompt)] : null,
      s.last_assistant_message ? [h('div', { class: 'subhead' }, 'Last assistant message'), h('blockquote', { class: 'quote', id: 'session-last-message' }, s.last_assistant_message)] : null,
    ];

    replaceChildren(this.body,
      facts, error, usageSection(s.usage),
      h('div', { class: 'subhead' }, `Agents (${(s.agents || []).length})`), agents,
      h('div', { class: 'subhead' }, 'Tool calls',
        h('span', { class: 'muted sub-count' }, ` ${tools.in_flight ? tools.in_flight.length : 0} in flight · ${(s.tool_calls && s.tool_calls.finished) || 0} finished${tools.batches ? ` · ${tools.batches} batches` : ''}`)),
      byTool.length ? h('div', { class: 'chips' }, byTool) : null,
      timeline,
      texts);
  }
}
