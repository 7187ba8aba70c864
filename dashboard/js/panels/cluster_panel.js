// `cluster` (cluster_redis plugin, docs/cluster.md): the brokers that share
// this one's picture through Redis — each node's state, address, clients,
// events and when it last announced itself — and this broker's link to Redis
// (state, round trip, events waiting to be published).

import { h, replaceChildren } from '../lib/dom.js';
import { formatAgo, formatByKey, formatNumber, toDate } from '../lib/format.js';
import { facts } from './generic_value.js';

// Redis link states as the plugin names them, and the badge each gets.
const REDIS_BADGE = { connected: 'status-active', connecting: 'severity-info' };

function nodeRow(node, self, now) {
  const lost = node.state !== 'up';
  const lastSeen = toDate(node.last_seen)?.getTime();
  const address = node.host ? `${node.host}${node.port ? `:${node.port}` : ''}` : '—';
  const count = (v) => (typeof v === 'number' ? formatNumber(v) : '—');
  return h('tr', { class: ['cluster-node', lost ? 'inactive' : ''], 'data-node-id': node.node_id, 'data-state': node.state || '' },
    h('td', { class: 'mono', title: node.version ? `version ${node.version}` : '' }, node.node_id,
      node.node_id === self ? h('span', { class: 'muted' }, ' (this)') : null),
    h('td', {}, h('span', { class: ['badge', lost ? 'severity-warning' : 'status-active'] }, lost ? 'lost' : 'up')),
    h('td', { class: 'mono' }, address),
    h('td', { class: 'num' }, count(node.clients)),
    h('td', { class: 'num' }, count(node.events)),
    h('td', { class: 'num' }, count(node.sessions)),
    h('td', { class: 'time', title: node.last_seen || '' }, lastSeen ? formatAgo(now - lastSeen) : '—'));
}

export const clusterPanel = {
  key: 'cluster',
  title: 'Cluster',
  caption: 'brokers sharing events and sessions through Redis (cluster_redis)',
  order: 15,
  wide: true,
  create({ body, meta }) {
    return {
      update(value) {
        const cluster = value && typeof value === 'object' ? value : {};
        const nodes = Array.isArray(cluster.nodes) ? cluster.nodes : [];
        const redis = cluster.redis && typeof cluster.redis === 'object' ? cluster.redis : {};
        const lost = nodes.filter((n) => n && n.state !== 'up').length;
        const latency = typeof redis.latency_ms === 'number' ? ` ${formatByKey('latency_ms', redis.latency_ms)}` : '';
        meta.textContent = `${formatNumber(nodes.length - lost)} up${lost ? ` · ${lost} lost` : ''} · redis ${redis.state || 'unknown'}${latency}`;
        const now = Date.now();
        replaceChildren(body,
          h('div', { class: 'cluster-redis', 'data-state': redis.state || '' },
            h('span', { class: ['badge', REDIS_BADGE[redis.state] || 'severity-error'] }, `Redis ${redis.state || 'unknown'}`),
            redis.url ? h('span', { class: 'mono muted' }, ` ${redis.url}`) : null,
            redis.error ? h('div', { class: 'cluster-error', role: 'alert' }, redis.error) : null,
            facts({ latency_ms: redis.latency_ms, pending: redis.pending, dropped: redis.dropped,
              published: redis.published, received: redis.received, resyncs: redis.resyncs })),
          nodes.length
            ? h('div', { class: 'generic-table-wrap' }, h('table', { class: 'generic-table cluster-nodes' },
              h('thead', {}, h('tr', {}, ['Node', 'State', 'Host', 'Clients', 'Events', 'Sessions', 'Last seen'].map((t) => h('th', {}, t)))),
              h('tbody', {}, nodes.filter((n) => n && n.node_id).map((n) => nodeRow(n, cluster.node_id, now)))))
            : h('div', { class: 'muted' }, 'No node has announced itself yet.'));
      },
    };
  },
};
