// Server health from the heartbeat (and from `status` until the first one
// arrives): uptime, clients, events, sessions, heartbeat, version and port,
// plugin errors, loaded plugins.

import { byId, h, replaceChildren, setText } from '../lib/dom.js';
import { formatDuration, formatNumber } from '../lib/format.js';

function setStat(id, value, display, sub) {
  const el = byId(id);
  el.dataset.value = value === undefined || value === null ? '' : String(value);
  setText(el.querySelector('.stat-value'), display);
  if (sub !== undefined) setText(el.querySelector('.stat-sub'), sub);
}

export class HealthView {
  constructor() {
    this.uptime = null; // {seconds, at (client ms)}: uptime ticks between heartbeats
    this.heartbeats = 0;
    this.plugins = [];
    this.errorsBox = byId('plugin-errors');
    this.pluginList = byId('plugin-list');
  }

  /** `status`, sent on connect: enough to fill the cards before the first heartbeat. */
  applyStatus(status) {
    if (!status || typeof status !== 'object') return;
    this.setUptime(status.uptime_seconds);
    this.renderCounts(status.connected_clients, status.total_events);
    if (typeof status.sessions === 'number') setStat('stat-sessions', status.sessions, formatNumber(status.sessions));
    this.renderServer(status.version, status.port, status.pid);
    this.renderInterval(status.heartbeat_interval);
    if (Array.isArray(status.plugins)) {
      this.plugins = status.plugins.map(String);
      replaceChildren(
        this.pluginList,
        h('span', { class: 'plugin-list-label' }, 'Plugins'),
        this.plugins.length ? this.plugins.map((name) => h('span', { class: 'chip' }, name)) : h('span', { class: 'muted' }, 'none loaded'),
      );
    }
  }

  applyHeartbeat(heartbeat, eventsPerSecond) {
    const data = heartbeat.data || {};
    this.heartbeats += 1;
    this.setUptime(data.uptime_seconds);
    this.renderCounts(data.connected_clients, data.total_events, eventsPerSecond);
    this.renderSessions(data.active_sessions, data.sessions_summary);
    const info = data.server_info || {};
    this.renderServer(info.version, info.port);
    this.renderInterval(info.heartbeat_interval);
    this.renderErrors(data.plugin_errors);
  }

  setUptime(seconds) {
    if (typeof seconds !== 'number') return;
    this.uptime = { seconds, at: Date.now() };
    this.tick(true);
  }

  /** Called every second: uptime keeps counting between heartbeats while the broker is live. */
  tick(live) {
    if (!this.uptime) return;
    const extra = live ? Math.max(0, (Date.now() - this.uptime.at) / 1000) : 0;
    setStat('stat-uptime', this.uptime.seconds, formatDuration(this.uptime.seconds + extra));
  }

  renderCounts(clients, totalEvents, eventsPerSecond) {
    if (typeof clients === 'number') setStat('stat-clients', clients, formatNumber(clients));
    if (typeof totalEvents === 'number') {
      const rate = typeof eventsPerSecond === 'number' ? `${formatNumber(eventsPerSecond)} events/s` : undefined;
      setStat('stat-events', totalEvents, formatNumber(totalEvents), rate);
    }
  }

  renderSessions(list, summary) {
    const total = summary && typeof summary.total === 'number' ? summary.total : Array.isArray(list) ? list.length : null;
    if (total === null) return;
    let sub = '';
    if (summary && typeof summary === 'object') {
      sub = ['active', 'delegated', 'completed']
        .filter((k) => typeof summary[k] === 'number' && summary[k] > 0)
        .map((k) => `${summary[k]} ${k}`)
        .join(' · ');
    } else if (Array.isArray(list)) {
      const counts = {};
      for (const s of list) counts[s.status] = (counts[s.status] || 0) + 1;
      sub = Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(' · ');
    }
    setStat('stat-sessions', total, formatNumber(total), sub || 'none tracked');
  }

  renderServer(version, reportedPort, pid) {
    if (version === undefined && reportedPort === undefined) return;
    // A broker started with --port 0 reports 0; the port this page came from is the real one.
    const port = reportedPort === 0 && window.location.port ? Number(window.location.port) : reportedPort;
    const sub = [port !== undefined ? `port ${port}` : '', pid ? `pid ${pid}` : ''].filter(Boolean).join(' · ');
    setStat('stat-version', version ?? '', version ? `v${version}` : '—', sub || undefined);
    if (port !== undefined) setText(byId('server-address'), `${window.location.hostname}:${port}`);
  }

  renderInterval(interval) {
    if (typeof interval !== 'number') return;
    setStat('stat-heartbeat', this.heartbeats, `${formatNumber(interval)} s`, `${formatNumber(this.heartbeats)} received`);
  }

  renderErrors(errors) {
    const list = Array.isArray(errors) ? errors : [];
    this.errorsBox.hidden = list.length === 0;
    if (!list.length) return;
    replaceChildren(
      this.errorsBox,
      h('div', { class: 'plugin-errors-title' }, `Plugin errors in the last heartbeat (${list.length})`),
      h('ul', {}, list.map((e) =>
        h('li', {}, h('strong', {}, String(e.plugin ?? 'unknown')), ': ', String(e.error ?? JSON.stringify(e))))),
    );
  }
}
