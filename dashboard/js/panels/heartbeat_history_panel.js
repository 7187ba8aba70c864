// Heartbeat history (history_sqlite plugin): the broker's own record of its
// heartbeats over hours, so trends survive dashboard reloads and broker
// restarts. Shown only while that plugin is loaded.

import { h, setText } from '../lib/dom.js';
import { formatNumber, toDate } from '../lib/format.js';
import { LineChart } from '../views/svg_chart.js';
import { fetchHeartbeats } from './heartbeat_history.js';
import { facts } from './generic_value.js';

const RANGES = [
  { label: '1 h', ms: 60 * 60 * 1000 },
  { label: '6 h', ms: 6 * 60 * 60 * 1000 },
  { label: '24 h', ms: 24 * 60 * 60 * 1000 },
];
const MAX_POINTS = 600;
const REFRESH_MS = 60 * 1000;

/** Averages points into at most MAX_POINTS buckets across the window. */
function downsample(points, from, to) {
  if (points.length <= MAX_POINTS) return points;
  const width = (to - from) / MAX_POINTS;
  const out = [];
  let bucket = null;
  for (const p of points) {
    const index = Math.floor((p.t - from) / width);
    if (!bucket || bucket.index !== index) {
      if (bucket) out.push({ t: bucket.t / bucket.n, v: bucket.v / bucket.n });
      bucket = { index, t: 0, v: 0, n: 0 };
    }
    bucket.t += p.t;
    bucket.v += p.v;
    bucket.n += 1;
  }
  if (bucket) out.push({ t: bucket.t / bucket.n, v: bucket.v / bucket.n });
  return out;
}

/** Three series from stored heartbeats: events/s (between heartbeats of one run), clients, sessions. */
function seriesOf(heartbeats) {
  const rate = [];
  const clients = [];
  const sessions = [];
  let prev = null;
  for (const hb of heartbeats) {
    const d = hb.data || {};
    const t = toDate(hb.timestamp)?.getTime();
    if (t === undefined) continue;
    if (typeof d.connected_clients === 'number') clients.push({ t, v: d.connected_clients });
    const count = d.sessions_summary && typeof d.sessions_summary.total === 'number'
      ? d.sessions_summary.total : Array.isArray(d.active_sessions) ? d.active_sessions.length : null;
    if (count !== null) sessions.push({ t, v: count });
    if (prev && d.uptime_seconds >= prev.uptime && d.total_events >= prev.total && t > prev.t) {
      rate.push({ t, v: (d.total_events - prev.total) / ((t - prev.t) / 1000) });
    }
    prev = { t, uptime: d.uptime_seconds, total: d.total_events };
  }
  return { rate, clients, sessions };
}

export const heartbeatHistoryPanel = {
  plugin: 'history_sqlite',
  key: 'history_sqlite', // the plugin's own counters, shown under the plots
  title: 'Heartbeat history',
  caption: 'stored by the history_sqlite plugin',
  order: 30,
  wide: true,
  create({ body, meta, link }) {
    let range = RANGES[0];
    let timer = null;
    let inFlight = null;
    const buttons = RANGES.map((r) => h('button', { type: 'button', class: 'seg', 'data-range': r.label, onclick: () => { range = r; refresh(); } }, r.label));
    const status = h('div', { class: 'muted small history-status' });
    const charts = h('div', { class: 'history-charts' });
    body.append(h('div', { class: 'toolbar' }, h('div', { class: 'segmented' }, buttons), status), charts);
    const make = (title, color, unit) => {
      const holder = h('div', { class: 'spark' }, h('div', { class: 'spark-title' }, title));
      charts.append(holder);
      return new LineChart(holder, { height: 120, color, formatValue: (v) => `${formatNumber(v)}${unit}`, emptyText: 'No stored heartbeats in this range' });
    };
    const rateChart = make('Events per second', 'var(--accent)', ' events/s');
    const clientsChart = make('Connected clients', 'var(--accent-2)', ' clients');
    const sessionsChart = make('Sessions tracked', 'var(--accent-3)', ' sessions');
    const stats = h('div', { class: 'history-stats', hidden: true });
    body.append(stats);

    async function refresh() {
      for (const b of buttons) b.classList.toggle('active', b.dataset.range === range.label);
      if (inFlight) inFlight.abort();
      const controller = new AbortController();
      inFlight = controller;
      const to = Date.now();
      const from = to - range.ms;
      setText(status, 'Loading…');
      try {
        const heartbeats = await fetchHeartbeats(link, from, { signal: controller.signal });
        const s = seriesOf(heartbeats);
        // A gap of over 5 % of the window is drawn as a gap (broker down).
        const gap = range.ms / 20;
        rateChart.update(downsample(s.rate, from, to), from, to, gap);
        clientsChart.update(downsample(s.clients, from, to), from, to, gap);
        sessionsChart.update(downsample(s.sessions, from, to), from, to, gap);
        meta.textContent = `${formatNumber(heartbeats.length)} heartbeats`;
        setText(status, `Updated ${new Date().toLocaleTimeString()}`);
      } catch (err) {
        if (err.name === 'AbortError') return;
        setText(status, `Could not read the stored heartbeats: ${err.message}`);
      } finally {
        if (inFlight === controller) inFlight = null;
      }
    }

    return {
      update() {
        // Called on every (re)connect: refresh now, then once a minute.
        clearInterval(timer);
        timer = setInterval(refresh, REFRESH_MS);
        refresh();
      },
      onKey(value) {
        stats.hidden = false;
        stats.replaceChildren(h('div', { class: 'subhead' }, 'Store'), facts(value));
      },
      dispose() {
        clearInterval(timer);
        if (inFlight) inFlight.abort();
      },
    };
  },
};
