// `system_metrics` (sysmetrics plugin): the broker process's CPU, memory,
// descriptors and threads, and the host's load and memory. Shown as tiles,
// whatever fields the plugin sends (units come from the key names), with
// last-hour sparklines for CPU and resident memory.

import { h, replaceChildren } from '../lib/dom.js';
import { formatByKey, formatBytes, formatNumber, humanizeKey } from '../lib/format.js';
import { LineChart, windowStart } from '../views/svg_chart.js';

const WINDOW_MS = 60 * 60 * 1000;
const MIN_SPAN_MS = 60 * 1000;
const MAX_POINTS = 720;

/** Leaves as [path, lastKey, value]; arrays of numbers stay one leaf; null (not measured yet) stays, shown as "—". */
function leaves(value, prefix = '') {
  const out = [];
  for (const [k, v] of Object.entries(value || {})) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') out.push([path, k, v]);
    else if (Array.isArray(v) && v.every((x) => typeof x === 'number')) out.push([path, k, v]);
    else if (v && typeof v === 'object' && !Array.isArray(v)) out.push(...leaves(v, path));
  }
  return out;
}

// The order people read these in; fields not listed follow in the plugin's order.
const PREFERRED = ['cpu_percent', 'rss_bytes', 'open_fds', 'threads', 'load_1m', 'load_5m', 'load_15m',
  'memory_available_bytes', 'memory_total_bytes', 'memory_available_percent', 'host_uptime_seconds', 'cpu_count'];
const rank = (path) => {
  const i = PREFERRED.indexOf(path);
  return i < 0 ? PREFERRED.length : i;
};

function tile(path, key, value) {
  const label = humanizeKey(path.replace(/\./g, ' '));
  const text = Array.isArray(value) ? value.map((x) => formatNumber(x)).join(' · ') : formatByKey(key, value);
  const percent = typeof value === 'number' && /percent$/.test(key) ? Math.max(0, Math.min(100, value)) : null;
  return h('div', { class: 'metric-tile', 'data-metric': path },
    h('div', { class: 'metric-label', title: path }, label),
    h('div', { class: 'metric-value' }, text),
    percent === null ? null : h('div', { class: 'meter' }, h('div', { class: 'meter-fill', style: `width:${percent}%` })));
}

export const systemMetricsPanel = {
  key: 'system_metrics',
  title: 'System metrics',
  caption: 'broker process and host, from the sysmetrics plugin',
  order: 10,
  wide: true,
  create({ body, meta }) {
    const tiles = h('div', { class: 'metric-grid' });
    const sparkRow = h('div', { class: 'spark-row' });
    body.append(tiles, sparkRow);
    const sparks = new Map(); // path -> {chart, points}

    function spark(path, key, value, now) {
      let entry = sparks.get(path);
      if (!entry) {
        const title = h('div', { class: 'spark-title' }, humanizeKey(path.replace(/\./g, ' ')), ' · up to the last hour');
        const holder = h('div', { class: 'spark' }, title);
        sparkRow.append(holder);
        const isBytes = /bytes$/.test(key);
        entry = {
          points: [],
          chart: new LineChart(holder, {
            height: 110,
            color: isBytes ? 'var(--accent-2)' : 'var(--accent)',
            formatValue: (v) => (isBytes ? formatBytes(v) : formatByKey(key, v)),
            // Axis labels in MiB read better than raw bytes.
            formatAxis: isBytes ? (v) => formatBytes(v) : undefined,
            marginLeft: isBytes ? 64 : 44,
            minMax: /percent$/.test(key) ? 10 : 0,
          }),
        };
        sparks.set(path, entry);
      }
      entry.points.push({ t: now, v: value });
      while (entry.points.length > MAX_POINTS || (entry.points.length && now - entry.points[0].t > WINDOW_MS)) entry.points.shift();
      entry.chart.update(entry.points, windowStart(entry.points, now, WINDOW_MS, MIN_SPAN_MS), now, Infinity);
    }

    return {
      update(value) {
        const now = Date.now();
        const all = leaves(value).sort((a, b) => rank(a[0]) - rank(b[0]));
        replaceChildren(tiles, all.map(([path, key, v]) => tile(path, key, v)));
        meta.textContent = `${all.length} metrics`;
        // Trend lines for the two figures people watch: CPU and resident memory.
        const cpu = all.find(([, key, v]) => typeof v === 'number' && /cpu.*percent/.test(key));
        const rss = all.find(([, key, v]) => typeof v === 'number' && /rss/.test(key));
        for (const found of [cpu, rss]) if (found) spark(found[0], found[1], found[2], now);
      },
    };
  },
};
