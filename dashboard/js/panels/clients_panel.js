// `clients` (client_heartbeats plugin): every connected client that sends
// two-way heartbeats, with its round-trip time and how recently it was heard.

import { h, replaceChildren } from '../lib/dom.js';
import { formatAgo, formatByKey, formatNumber, toDate } from '../lib/format.js';
import { renderValue } from './generic_value.js';

function clientList(value) {
  if (Array.isArray(value)) return value;
  if (value && typeof value === 'object') {
    const key = ['clients', 'list', 'connected'].find((k) => Array.isArray(value[k]));
    if (key) return value[key];
  }
  return null;
}

export const clientsPanel = {
  key: 'clients',
  title: 'Clients',
  caption: 'two-way heartbeats from the client_heartbeats plugin',
  order: 20,
  create({ body, meta }) {
    return {
      update(value) {
        const list = clientList(value);
        if (!list) {
          // Not the shape this panel knows: show it as it is rather than nothing.
          body.replaceChildren(renderValue('clients', value));
          return;
        }
        const stale = list.filter((c) => c && c.stale).length;
        meta.textContent = `${formatNumber(list.length)} reporting${stale ? ` · ${stale} stale` : ''}`;
        if (!list.length) {
          body.replaceChildren(h('div', { class: 'muted' }, 'No client sends heartbeats yet.'));
          return;
        }
        const now = Date.now();
        replaceChildren(body, h('div', { class: 'generic-table-wrap' }, h('table', { class: 'generic-table' },
          h('thead', {}, h('tr', {}, ['Client', 'Transport', 'RTT', 'Last seen', 'Connected'].map((t) => h('th', {}, t)))),
          h('tbody', {}, list.map((c) => {
            const lastSeen = toDate(c.last_seen)?.getTime();
            return h('tr', { class: c.stale ? 'inactive' : '' },
              h('td', { title: c.id || '' }, c.name || c.id || '—',
                c.stale ? h('span', { class: 'badge severity-warning', style: 'margin-left:6px' }, 'stale') : null),
              h('td', {}, c.transport || '—'),
              h('td', { class: 'num' }, typeof c.rtt_ms === 'number' ? formatByKey('rtt_ms', c.rtt_ms) : '—'),
              h('td', {}, lastSeen ? formatAgo(now - lastSeen) : '—'),
              h('td', {}, formatByKey('connected_at', c.connected_at)));
          })))));
      },
    };
  },
};
