'use strict';
// Sessions as the heartbeat reports them: created by the first event of an
// unknown session, delegated while a subagent works, completed at the end,
// removed after `expireAfterMs` without activity.

class SessionTracker {
  constructor({ expireAfterMs = 3600 * 1000 } = {}) {
    this.expireAfterMs = expireAfterMs;
    this.sessions = new Map();
  }

  touch(sessionId, subtype, data, timestamp) {
    if (!sessionId) return;
    let session = this.sessions.get(sessionId);
    if (!session) {
      session = { session_id: sessionId, start_time: timestamp, agent: 'pm', status: 'active', last_activity: timestamp };
      this.sessions.set(sessionId, session);
    }
    session.last_activity = timestamp;
    if (subtype === 'pre_tool' && data.tool_name === 'Task') {
      session.status = 'delegated';
      if (data.tool_input && typeof data.tool_input.subagent_type === 'string') session.agent = data.tool_input.subagent_type;
    } else if (subtype === 'subagent_stop') {
      session.status = 'active';
      session.agent = 'pm';
    } else if (subtype === 'session_end' || subtype === 'stop') {
      session.status = 'completed';
    }
  }

  expire(nowMs = Date.now()) {
    for (const [id, session] of this.sessions) {
      if (nowMs - Date.parse(session.last_activity) > this.expireAfterMs) this.sessions.delete(id);
    }
  }

  list() {
    return [...this.sessions.values()];
  }

  get size() {
    return this.sessions.size;
  }
}

module.exports = { SessionTracker };
