'use strict';
// The broker's state and its one pipeline: ingest → count, history, sessions
// → broadcast to every Socket.IO client. Also the heartbeat.

const { HistoryRing } = require('./history');
const { SessionTracker } = require('./sessions');
const { normalize } = require('./normalize');

const VERSION = require('../package.json').version;

class Broker {
  constructor(io, options) {
    this.io = io;
    this.options = options;
    this.history = new HistoryRing(options.historySize);
    this.sessions = new SessionTracker();
    this.totalEvents = 0;
    this.startedAt = Date.now();
    this.port = options.port;
  }

  ingest(raw, source) {
    const { event, error } = normalize(raw, new Date().toISOString());
    if (error) return { error };
    if (source === 'socketio' && event.source === 'http') event.source = 'socketio';
    this.totalEvents += 1;
    this.history.push(event);
    this.sessions.touch(event.session_id, event.subtype, event.data || {}, event.timestamp);
    this.io.emit(event.type === 'system' ? 'system_event' : 'claude_event', event);
    return { event };
  }

  uptimeSeconds() {
    return Math.floor((Date.now() - this.startedAt) / 1000);
  }

  status() {
    return {
      service: 'node-socketio-peer',
      version: VERSION,
      host: this.options.host,
      port: this.port,
      pid: process.pid,
      uptime_seconds: this.uptimeSeconds(),
      connected_clients: this.io.engine.clientsCount,
      total_events: this.totalEvents,
      sessions: this.sessions.size,
      heartbeat_interval: this.options.heartbeatInterval,
      timestamp: new Date().toISOString(),
    };
  }

  health() {
    return {
      status: 'ok',
      service: 'node-socketio-peer',
      version: VERSION,
      uptime_seconds: this.uptimeSeconds(),
      clients: this.io.engine.clientsCount,
      events: this.totalEvents,
      sessions: this.sessions.size,
      port: this.port,
      pid: process.pid,
    };
  }

  historyPayload(limit, eventTypes) {
    const events = this.history.recent(limit, eventTypes);
    return { events, count: events.length };
  }

  heartbeat() {
    this.sessions.expire();
    const data = {
      uptime_seconds: this.uptimeSeconds(),
      connected_clients: this.io.engine.clientsCount,
      total_events: this.totalEvents,
      server_info: { version: VERSION, port: this.port, heartbeat_interval: this.options.heartbeatInterval },
      active_sessions: this.sessions.list(),
    };
    this.io.emit('system_event', {
      type: 'system', event: 'heartbeat', subtype: 'heartbeat', timestamp: new Date().toISOString(), data,
    });
    console.log(`System heartbeat sent - clients: ${data.connected_clients}, uptime: ${data.uptime_seconds}s, `
      + `events: ${data.total_events}, sessions: ${this.sessions.size}`);
  }
}

module.exports = { Broker };
