'use strict';
// Turns whatever a sender posted into the shape clients receive:
// {type, subtype, timestamp, session_id?, source, data}. Accepts Claude Code
// hook JSON (`hook_event_name`), the legacy {"type":"hook","subtype"|"event"}
// form, and the generic {type, subtype?|event?, ...} form.

const LEGACY_SUBTYPES = {
  UserPromptSubmit: 'user_prompt',
  PreToolUse: 'pre_tool',
  PostToolUse: 'post_tool',
  SubagentStart: 'subagent_start',
  SubagentStop: 'subagent_stop',
  Stop: 'stop',
  Notification: 'notification',
  SessionStart: 'session_start',
  SessionEnd: 'session_end',
};

function snakeCase(name) {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[^A-Za-z0-9]+/g, '_').toLowerCase();
}

function stringOr(value, fallback) {
  return typeof value === 'string' && value !== '' ? value : fallback;
}

// Keys in the order hookbroker sends them; session_id only when there is one.
function makeEvent(type, subtype, timestamp, sessionId, source, data) {
  const event = { type, subtype, timestamp };
  if (sessionId) event.session_id = sessionId;
  event.source = source;
  event.data = data;
  return event;
}

// Returns {event} or {error}.
function normalize(raw, receivedAt) {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { error: 'expected a JSON object' };
  }
  if (typeof raw.hook_event_name === 'string') {
    const name = raw.hook_event_name;
    return {
      event: makeEvent('hook', LEGACY_SUBTYPES[name] || snakeCase(name), receivedAt,
        stringOr(raw.session_id, ''), 'hook', raw),
    };
  }
  if (typeof raw.type !== 'string' || raw.type === '') {
    return { error: 'unrecognized event: expected Claude Code hook JSON (hook_event_name) or an object with a string "type"' };
  }
  const data = raw.data !== undefined ? raw.data : raw;
  const sessionId = stringOr(raw.session_id, data && typeof data === 'object' ? stringOr(data.session_id, '') : '');
  return {
    event: makeEvent(raw.type, stringOr(raw.subtype, stringOr(raw.event, '')),
      stringOr(raw.timestamp, receivedAt), sessionId, stringOr(raw.source, 'http'), data),
  };
}

module.exports = { normalize };
