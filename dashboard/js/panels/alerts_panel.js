// `alerts` (alerts plugin): what is firing now, from the heartbeat, and the
// latest firing/resolving transitions, from `system_event` alert events.
// Alert shapes are read loosely (an array, or an object holding a
// firing/active list) so the panel keeps working as the plugin evolves.

import { h, replaceChildren } from '../lib/dom.js';
import { formatAgo, formatClock, formatNumber, toDate } from '../lib/format.js';
import { facts, listIn } from './generic_value.js';

const MAX_TRANSITIONS = 10;
const SEVERITY_RANK = { critical: 0, error: 1, warning: 2, info: 3 };

const LIST_KEYS = ['firing', 'active', 'alerts'];

/** What is firing, and the plugin's other fields (rule counts, …) to show generically. */
function firingList(value) {
  const list = listIn(value, LIST_KEYS) || [];
  const rest = value && typeof value === 'object' && !Array.isArray(value) ? { ...value } : {};
  for (const k of LIST_KEYS) if (rest[k] === list) delete rest[k];
  return { list, rest };
}

const nameOf = (a) => String(a.rule ?? a.name ?? a.id ?? a.metric ?? 'alert');
const severityOf = (a) => String(a.severity ?? 'warning').toLowerCase();

function alertItem(alert) {
  const severity = severityOf(alert);
  const since = toDate(alert.since ?? alert.fired_at ?? alert.started_at ?? alert.timestamp);
  const detail = [
    alert.message,
    alert.metric && alert.value !== undefined ? `${alert.metric} = ${typeof alert.value === 'number' ? formatNumber(alert.value) : alert.value}` : '',
    since ? `firing for ${formatAgo(Date.now() - since.getTime()).replace(' ago', '')}` : '',
  ].filter(Boolean).join(' · ');
  return h('li', { class: ['alert-item', `severity-${severity}`], 'data-alert': nameOf(alert) },
    h('span', { class: ['badge', `severity-${severity}`] }, severity),
    h('div', { class: 'alert-text' }, h('div', { class: 'alert-name' }, nameOf(alert)), detail ? h('div', { class: 'alert-detail muted' }, detail) : null));
}

export const alertsPanel = {
  key: 'alerts',
  title: 'Alerts',
  caption: 'rules from the alerts plugin',
  order: 5,
  create({ body, meta }) {
    const current = h('div', { class: 'alerts-current' });
    const extra = h('div', { class: 'alerts-extra' });
    const transitionsBox = h('div', { class: 'alerts-transitions', hidden: true });
    body.append(current, extra, transitionsBox);
    const transitions = [];

    function renderTransitions() {
      transitionsBox.hidden = transitions.length === 0;
      replaceChildren(transitionsBox,
        h('div', { class: 'subhead' }, 'Recent transitions'),
        h('ul', { class: 'transition-list' }, transitions.map((t) =>
          h('li', {}, h('span', { class: 'mono muted' }, formatClock(t.time)), ' ',
            h('span', { class: ['badge', t.resolved ? 'status-completed' : `severity-${t.severity}`] }, t.resolved ? 'resolved' : 'fired'),
            ' ', h('strong', {}, t.name), t.message ? h('span', { class: 'muted' }, ` · ${t.message}`) : null))));
    }

    return {
      update(value) {
        const { list, rest } = firingList(value);
        const sorted = [...list].sort((a, b) => (SEVERITY_RANK[severityOf(a)] ?? 9) - (SEVERITY_RANK[severityOf(b)] ?? 9));
        meta.replaceChildren(h('span', { class: ['badge', sorted.length ? 'severity-warning' : 'status-active'] },
          sorted.length ? `${sorted.length} firing` : 'all clear'));
        replaceChildren(current, sorted.length
          ? h('ul', { class: 'alert-list' }, sorted.map(alertItem))
          : h('div', { class: 'all-clear' }, '✓ No alert is firing'));
        // The plugin's counters (pending, evaluations, …); the firing count is already in the badge.
        extra.replaceChildren(facts(rest, ['firing_count']));
      },
      onEvent(event) {
        const isAlert = event.type === 'system' && (event.event === 'alert' || event.subtype === 'alert');
        if (!isAlert) return;
        const d = event.data || {};
        const state = String(d.state ?? d.status ?? d.transition ?? '').toLowerCase();
        transitions.unshift({
          time: event.timestamp,
          name: nameOf(d),
          severity: severityOf(d),
          resolved: state === 'resolved' || d.resolved === true,
          message: d.message || '',
        });
        transitions.length = Math.min(transitions.length, MAX_TRANSITIONS);
        renderTransitions();
      },
    };
  },
};
