// The sessions table, from the tracker's `active_sessions` (heartbeat) and
// GET /api/sessions (on connect and after events, so a status change shows
// within a moment even when heartbeats are a minute apart).
//
// Completed sessions stay, greyed, for as long as the tracker lists them
// (its grace period), then fade out. A session that vanishes without
// completing (expired, or the broker restarted) is kept greyed for a while
// as "no longer tracked" rather than silently dropped.

import { byId, h, replaceChildren, setText } from '../lib/dom.js';
import { formatAgo, formatCost, formatDateTime, formatNumber, formatTokens, shortId, toDate, totalTokens } from '../lib/format.js';
import { attentionOf } from '../model/session_detail.js';

const VANISHED_LINGER_MS = 60 * 1000;
const FADE_MS = 600;
const MAX_DELEGATION_CHIPS = 4;
const STATUS_ORDER = { delegated: 0, active: 1, completed: 2, gone: 3 };

function tail(path, max = 42) {
  const s = String(path || '');
  return s.length > max ? `…${s.slice(s.length - max + 1)}` : s;
}

function delegationChips(delegations) {
  if (!Array.isArray(delegations) || !delegations.length) return h('span', { class: 'muted' }, '—');
  // Running ones first, then the most recent.
  const sorted = [...delegations].sort((a, b) =>
    (a.status === 'running' ? 0 : 1) - (b.status === 'running' ? 0 : 1) ||
    String(b.start_time).localeCompare(String(a.start_time)));
  const shown = sorted.slice(0, MAX_DELEGATION_CHIPS);
  const chips = shown.map((d) => {
    const running = d.status === 'running';
    const label = d.agent_type && d.agent_type !== 'unknown' ? d.agent_type : 'subagent';
    const title = [`${label} (${running ? 'running' : 'completed'})`, d.agent_id ? `agent ${d.agent_id}` : '',
      d.start_time ? `started ${formatDateTime(d.start_time)}` : '', d.end_time ? `ended ${formatDateTime(d.end_time)}` : '']
      .filter(Boolean).join('\n');
    return h('span', { class: ['delegation', running ? 'running' : 'done'], title }, running ? '● ' : '✓ ', label);
  });
  if (sorted.length > shown.length) chips.push(h('span', { class: 'delegation more' }, `+${sorted.length - shown.length}`));
  return h('span', { class: 'delegations' }, chips);
}

/** The broker a session runs on when it is not this one (a cluster's), marked when that broker is lost. */
function nodeBadge(session) {
  if (!session.node) return null;
  const lost = session.node_state === 'lost';
  const title = lost
    ? `on node ${session.node}, which stopped announcing itself: what is shown is what it last sent`
    : `on node ${session.node} of the cluster`;
  return h('span', { class: ['node-badge', lost ? 'lost' : ''], title }, lost ? `${session.node} · lost` : session.node);
}

/** Cost and tokens from the session's telemetry (docs/telemetry.md); dashes without it. */
function usageCells(usage) {
  if (!usage) return [h('td', { class: 'num cost muted' }, '—'), h('td', { class: 'num tokens muted' }, '—')];
  const tokens = totalTokens(usage);
  const title = [`input ${formatNumber(usage.input_tokens || 0)}`, `output ${formatNumber(usage.output_tokens || 0)}`,
    `cache read ${formatNumber(usage.cache_read_tokens || 0)}`, `cache written ${formatNumber(usage.cache_creation_tokens || 0)}`,
    `${formatNumber(usage.api_requests || 0)} API requests, ${formatNumber(usage.api_errors || 0)} errors (from ${usage.source})`].join('\n');
  return [h('td', { class: 'num cost', title }, formatCost(usage.cost_usd)), h('td', { class: 'num tokens', title }, formatTokens(tokens))];
}

export class SessionsView {
  constructor({ onSelectSession }) {
    this.body = byId('sessions-body');
    this.empty = byId('sessions-empty');
    this.meta = byId('sessions-meta');
    this.onSelectSession = onSelectSession;
    this.rows = new Map(); // session_id -> {session, row, vanishedAt, leaving}
  }

  /** Applies a full snapshot of the tracker's sessions. */
  apply(sessions, summary) {
    if (!Array.isArray(sessions)) return;
    const seen = new Set();
    for (const session of sessions) {
      if (!session || !session.session_id) continue;
      seen.add(session.session_id);
      this.upsert(session);
    }
    const now = Date.now();
    for (const [id, entry] of this.rows) {
      if (seen.has(id) || entry.leaving) continue;
      if (entry.session.status === 'completed') this.fadeOut(id);
      else if (!entry.vanishedAt) this.markVanished(entry, now);
    }
    this.order();
    this.renderMeta(sessions.length, summary);
  }

  upsert(session) {
    let entry = this.rows.get(session.session_id);
    if (!entry) {
      const row = h('tr', { class: 'session-row', tabindex: 0, title: 'Show this session\'s agents, tool calls and errors' });
      row.addEventListener('click', () => this.onSelectSession(session.session_id));
      row.addEventListener('keydown', (e) => { if (e.key === 'Enter') this.onSelectSession(session.session_id); });
      entry = { session, row, vanishedAt: null, leaving: false };
      this.rows.set(session.session_id, entry);
    }
    entry.session = session;
    entry.vanishedAt = null;
    if (entry.leaving) {
      entry.leaving = false;
      entry.row.classList.remove('leaving');
    }
    this.renderRow(entry);
  }

  renderRow(entry) {
    const s = entry.session;
    const status = entry.vanishedAt ? 'gone' : String(s.status || 'active');
    const row = entry.row;
    row.dataset.sessionId = s.session_id;
    row.dataset.status = status;
    row.dataset.activity = s.activity || '';
    row.dataset.agent = s.agent || '';
    // Another broker's session (cluster_redis): the node it runs on.
    row.dataset.node = s.node || '';
    row.dataset.nodeState = s.node_state || '';
    const attention = entry.vanishedAt ? { kind: 'ended', label: '—', detail: '' } : attentionOf(s);
    row.dataset.attention = attention.kind;
    row.classList.toggle('inactive', status === 'completed' || status === 'gone');
    const lastActivity = toDate(s.last_activity)?.getTime();
    const statusLabel = status === 'gone' ? 'no longer tracked' : status;
    replaceChildren(
      row,
      h('td', { class: 'session-id', title: s.session_id },
        h('span', { class: 'mono' }, shortId(s.session_id, 12)),
        nodeBadge(s),
        s.title ? h('span', { class: 'session-title' }, s.title) : null),
      h('td', {}, h('span', { class: ['badge', `status-${status}`] }, statusLabel)),
      h('td', { class: 'attention' },
        h('span', { class: ['pill-state', `state-${attention.kind}`, attention.urgent ? 'urgent' : ''], title: s.activity || '' }, attention.label),
        attention.detail ? h('span', { class: 'attention-detail' }, attention.detail) : null),
      h('td', { class: 'agent' }, s.agent || '—'),
      h('td', {}, delegationChips(s.delegations)),
      h('td', { class: 'time', title: s.start_time || '' }, formatDateTime(s.start_time)),
      h('td', { class: 'time ago', 'data-time': lastActivity ?? '', title: s.last_activity || '' },
        lastActivity ? formatAgo(Date.now() - lastActivity) : '—'),
      h('td', { class: 'num' }, typeof s.event_count === 'number' ? formatNumber(s.event_count) : '—'),
      usageCells(s.usage),
      h('td', { class: 'mono cwd', title: s.cwd || '' }, s.cwd ? tail(s.cwd) : '—'),
    );
  }

  markVanished(entry, now) {
    entry.vanishedAt = now;
    this.renderRow(entry);
  }

  fadeOut(id) {
    const entry = this.rows.get(id);
    if (!entry || entry.leaving) return;
    entry.leaving = true;
    entry.row.classList.add('leaving');
    setTimeout(() => {
      const current = this.rows.get(id);
      if (current && current.leaving) {
        current.row.remove();
        this.rows.delete(id);
        this.renderEmpty();
      }
    }, FADE_MS);
  }

  /** Running work first, most recently active first; finished sessions sink. */
  order() {
    const entries = [...this.rows.values()].sort((a, b) => {
      const sa = a.vanishedAt ? 'gone' : a.session.status;
      const sb = b.vanishedAt ? 'gone' : b.session.status;
      return (STATUS_ORDER[sa] ?? 1) - (STATUS_ORDER[sb] ?? 1) ||
        String(b.session.last_activity).localeCompare(String(a.session.last_activity));
    });
    const current = [...this.body.children];
    if (entries.length !== current.length || entries.some((e, i) => e.row !== current[i])) {
      this.body.replaceChildren(...entries.map((e) => e.row));
    }
    this.renderEmpty();
  }

  renderEmpty() {
    this.empty.hidden = this.rows.size > 0;
  }

  renderMeta(listed, summary) {
    const omitted = summary && typeof summary.omitted === 'number' ? summary.omitted : 0;
    const total = summary && typeof summary.total === 'number' ? summary.total : listed;
    const gone = [...this.rows.values()].filter((e) => e.vanishedAt).length;
    const parts = [omitted > 0
      ? `${formatNumber(total)} tracked · showing the ${formatNumber(listed)} most recently active`
      : `${formatNumber(total)} tracked`];
    if (gone) parts.push(`${gone} no longer tracked`);
    setText(this.meta, parts.join(' · '));
  }

  /** Every second: refresh "12 s ago" and retire sessions that vanished long enough ago. */
  tick(now = Date.now()) {
    for (const cell of this.body.querySelectorAll('td.ago')) {
      const t = Number(cell.dataset.time);
      if (t) setText(cell, formatAgo(now - t));
    }
    for (const [id, entry] of this.rows) {
      if (entry.vanishedAt && now - entry.vanishedAt > VANISHED_LINGER_MS) this.fadeOut(id);
    }
  }
}
