// `clients` (client_heartbeats plugin): every connected client that sends
// two-way heartbeats, with its round-trip time and how recently it was heard.

import { h, replaceChildren } from '../lib/dom.js';
import { formatAgo, formatByKey, formatNumber, toDate } from '../lib/format.js';
import { listIn, renderValue } from './generic_value.js';

export const clientsPanel = {
  key: 'clients',
  title: 'Clients',
  caption: 'two-way heartbeats from the client_heartbeats plugin',
  order: 20,
  create({ body, meta }) {
    return {
      update(value) {
        const list = listIn(value, ['clients', 'list', 'connected']);
        if (!list) {
          // Not the shape this panel knows: show it as it is rather than nothing.
          body.replaceChildren(renderValue('clients', value));
          return;
        }
        const stale = list.filter((c) => c && c.stale).length;
        const omitted = value && typeof value.omitted === 'number' ? value.omitted : 0;
        meta.textContent = `${formatNumber(list.length + omitted)} reporting${stale ? ` · ${stale} stale` : ''}${omitted ? ` · ${formatNumber(omitted)} not listed` : ''}`;
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
