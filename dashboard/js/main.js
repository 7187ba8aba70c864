// hookbroker dashboard: wires the broker link to the views.
//
// Data flow (all from the broker this page was served by):
//   status (on connect)      -> health cards, heartbeat interval, plugin panels
//   history (on connect)     -> event stream (merged: nothing seen is lost or doubled)
//   get_history (ack)        -> more of the same, up to what the page keeps
//   claude_event             -> event stream; sessions re-read shortly after
//   system_event heartbeat   -> health, sessions, plots, extension panels, liveness
//   heartbeat                -> the same, when the mpm_compat plugin sends heartbeats
//                               there for claude-mpm's dashboard
//   system_event (other)     -> event stream and panels (alert transitions)
//   GET /api/sessions        -> sessions table right after connect and after events,
//                               so changes show before the next heartbeat
//   get_session (ack)        -> the session drawer: agents, tool calls, errors; read
//                               again while open and its events arrive
//   client_heartbeat (ack)   -> round-trip time, when the client_heartbeats plugin is loaded

import { byId } from './lib/dom.js';
import { BrokerLink } from './net/broker_link.js';
import { ClientHeartbeat } from './net/client_heartbeat.js';
import { ConnectionState, HEARTBEAT, SOCKET } from './net/connection_state.js';
import { EventStore, DEFAULT_EVENT_LIMIT } from './model/event_store.js';
import { HeartbeatSeries, WINDOW_MS } from './model/heartbeat_series.js';
import { ConnectionView } from './views/connection_view.js';
import { HealthView } from './views/health_view.js';
import { SessionsView } from './views/sessions_view.js';
import { EventStreamView } from './views/event_stream_view.js';
import { EventDetailView } from './views/event_detail_view.js';
import { SessionDetailView } from './views/session_detail_view.js';
import { ChartsView } from './views/charts_view.js';
import { PanelHost } from './panels/panel_host.js';
import { PANEL_DEFINITIONS } from './panels/index.js';
import { fetchHeartbeats, isHeartbeat } from './panels/heartbeat_history.js';

const SESSION_REFRESH_DELAY_MS = 250;
// Events asked for after connecting: the most a broker answers in one
// get_history (history_sqlite's page limit); the store keeps up to 2,000.
const HISTORY_REQUEST_LIMIT = 1000;

function showFatal(message) {
  const banner = byId('banner');
  banner.hidden = false;
  banner.dataset.kind = 'error';
  byId('banner-text').textContent = message;
}

function start() {
  const link = new BrokerLink();
  const state = new ConnectionState();
  const store = new EventStore(DEFAULT_EVENT_LIMIT);
  const series = new HeartbeatSeries(`hookbroker.series.${window.location.host}`);

  const connectionView = new ConnectionView(state, { onToken: (token) => link.setToken(token) });
  const health = new HealthView();
  const detail = new EventDetailView();
  const stream = new EventStreamView(store, { onOpen: (record, row) => detail.open(record, row) });
  const sessionDetail = new SessionDetailView(link, { onShowEvents: (id) => stream.showSession(id) });
  const sessions = new SessionsView({ onSelectSession: (id) => sessionDetail.open(id) });
  const charts = new ChartsView(series);
  const panels = new PanelHost(byId('extension-panels'), PANEL_DEFINITIONS, link);
  const clientHeartbeat = new ClientHeartbeat(link, (rtt) => state.noteRtt(rtt));

  // --- sessions between heartbeats -------------------------------------
  // Heartbeats may be a minute apart; after events, re-read the tracker so a
  // status change shows at once. A heartbeat that lands while a read is in
  // flight is newer, so that read's answer is dropped.
  let heartbeatSeq = 0;
  let refreshTimer = null;
  let refreshing = false;
  let refreshAgain = false;
  async function refreshSessions() {
    refreshTimer = null;
    if (refreshing) {
      refreshAgain = true;
      return;
    }
    refreshing = true;
    const seq = heartbeatSeq;
    try {
      const answer = await link.getJson('/api/sessions');
      if (seq === heartbeatSeq && answer && Array.isArray(answer.sessions)) sessions.apply(answer.sessions, null);
    } catch (err) {
      // 503: no tracker loaded; the heartbeat (if any) remains the source.
      if (err.status !== 503) console.warn('GET /api/sessions:', err.message);
    } finally {
      refreshing = false;
      if (refreshAgain) {
        refreshAgain = false;
        refreshSessionsSoon();
      }
    }
  }
  function refreshSessionsSoon() {
    if (!refreshTimer) refreshTimer = setTimeout(refreshSessions, SESSION_REFRESH_DELAY_MS);
  }

  // --- heartbeats ------------------------------------------------------
  function onHeartbeat(heartbeat) {
    heartbeatSeq += 1;
    const data = heartbeat.data && typeof heartbeat.data === 'object' ? heartbeat.data : {};
    state.noteHeartbeat(data.server_info && data.server_info.heartbeat_interval);
    series.addHeartbeat(heartbeat);
    health.applyHeartbeat(heartbeat, series.latest('rate'));
    sessions.apply(Array.isArray(data.active_sessions) ? data.active_sessions : [], data.sessions_summary);
    sessionDetail.noteListing(data.active_sessions);
    panels.applyHeartbeat(data);
    clientHeartbeat.applyHeartbeat(data.clients);
    charts.render(state.intervalSeconds);
  }

  // With durable history, the last hour's plots are filled from the broker's
  // stored heartbeats (once per page; live samples take it from there).
  let backfilled = false;
  async function backfillPlots(status) {
    if (backfilled || !Array.isArray(status.plugins) || !status.plugins.includes('history_sqlite')) return;
    backfilled = true;
    try {
      series.backfill(await fetchHeartbeats(link, Date.now() - WINDOW_MS));
      charts.render(state.intervalSeconds);
    } catch (err) {
      console.warn('heartbeat history:', err.message);
    }
  }

  // --- history -----------------------------------------------------------
  // The broker sends its latest events on connect (a few dozen); the page asks
  // for as many as it keeps, so a reload shows what was on screen before.
  // Both answers are merged: events already held are skipped.
  function mergeHistory(payload) {
    const events = Array.isArray(payload) ? payload : payload && Array.isArray(payload.events) ? payload.events : [];
    const added = store.merge(events.filter((e) => !isHeartbeat(e)));
    // Alert transitions in the order they happened.
    const system = added.filter((r) => r.event.type === 'system').sort((a, b) => a.time - b.time);
    for (const record of system) panels.noteEvent(record.event);
  }
  async function requestFullHistory() {
    try {
      const answer = await link.request('get_history', { limit: HISTORY_REQUEST_LIMIT });
      if (answer && !answer.error) mergeHistory(answer);
    } catch (err) {
      console.warn('get_history:', err.message);
    }
  }

  // --- socket ------------------------------------------------------------
  link
    .on('connect', () => {
      state.setSocket(SOCKET.CONNECTED);
      refreshSessionsSoon();
      requestFullHistory();
    })
    .on('disconnect', (reason) => state.setSocket(SOCKET.RECONNECTING, `disconnected: ${reason}`))
    .on('connect_error', (err) => {
      const message = String(err && err.message ? err.message : err);
      const auth = /token|authentication/i.test(message);
      state.setSocket(auth ? SOCKET.UNAUTHORIZED : SOCKET.RECONNECTING, message);
    })
    .on('reconnect_attempt', (attempt) => state.noteReconnectAttempt(attempt))
    .on('status', (status) => {
      if (!status || typeof status !== 'object') return;
      health.applyStatus(status);
      state.setInterval(status.heartbeat_interval);
      panels.applyStatus(status);
      clientHeartbeat.applyStatus(status);
      backfillPlots(status);
    })
    .on('history', mergeHistory)
    .on('claude_event', (event) => {
      if (!event || typeof event !== 'object') return;
      store.add(event);
      if (event.session_id) {
        refreshSessionsSoon();
        sessionDetail.refreshSoon(event.session_id);
      }
    })
    .on('system_event', (event) => {
      if (!event || typeof event !== 'object') return;
      if (isHeartbeat(event)) {
        onHeartbeat(event);
      } else if (store.add(event)) {
        panels.noteEvent(event);
      }
    })
    .on('heartbeat', (event) => {
      if (event && typeof event === 'object' && isHeartbeat(event)) onHeartbeat(event);
    });

  // --- clocks ------------------------------------------------------------
  setInterval(() => {
    state.evaluate();
    connectionView.render();
  }, 250);
  setInterval(() => {
    sessions.tick();
    health.tick(state.heartbeat === HEARTBEAT.FRESH);
  }, 1000);
  // The plots' window slides even when no heartbeat comes.
  setInterval(() => charts.render(state.intervalSeconds), 15000);
  window.addEventListener('pagehide', () => series.save(Date.now(), true));

  charts.render(state.intervalSeconds);
  link.connect();
}

try {
  start();
} catch (err) {
  showFatal(`The dashboard could not start: ${err.message}`);
  throw err;
}
