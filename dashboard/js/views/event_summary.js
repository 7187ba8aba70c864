// One readable line per event for the stream: what happened, not the whole
// payload (a click shows that). Claude Code hook payloads are recognised by
// their fields; anything else falls back to its first few scalar fields.

import { truncate } from '../lib/format.js';

const MAX = 160;

// The tool_input field that best says what a tool call is about.
const TOOL_HINTS = ['command', 'file_path', 'path', 'pattern', 'url', 'query', 'description', 'prompt'];

function toolSummary(data) {
  const input = data.tool_input && typeof data.tool_input === 'object' ? data.tool_input : {};
  const tool = data.tool_name || 'tool';
  if (input.subagent_type) return `${tool} → ${input.subagent_type}${input.description ? `: ${input.description}` : ''}`;
  const hint = TOOL_HINTS.find((k) => typeof input[k] === 'string' && input[k]);
  return hint ? `${tool}: ${input[hint]}` : tool;
}

function fallback(data) {
  if (!data || typeof data !== 'object') return data === undefined ? '' : String(data);
  return Object.entries(data)
    .filter(([, v]) => v !== null && typeof v !== 'object')
    .slice(0, 4)
    .map(([k, v]) => `${k}=${v}`)
    .join(' · ');
}

export function summarizeEvent(event) {
  const data = event.data && typeof event.data === 'object' ? event.data : {};
  if (event.type === 'system') {
    const parts = [data.severity, data.rule || data.name || data.metric, data.state || data.status, data.message];
    const text = parts.filter((p) => typeof p === 'string' && p).join(' · ');
    return truncate(text || fallback(data), MAX);
  }
  let text;
  switch (event.subtype) {
    case 'pre_tool':
    case 'post_tool':
    case 'post_tool_use_failure':
    case 'permission_request':
      text = toolSummary(data);
      if (data.error) text += ` — ${data.error}`;
      break;
    case 'user_prompt':
      text = data.prompt ? `“${data.prompt}”` : 'prompt submitted';
      break;
    case 'subagent_start':
    case 'subagent_stop':
      text = [data.agent_type, data.agent_id ? `(${data.agent_id})` : ''].filter(Boolean).join(' ') || 'subagent';
      break;
    case 'notification':
      text = data.message || 'notification';
      break;
    case 'session_start':
      text = [data.source && `source ${data.source}`, data.model, data.cwd].filter(Boolean).join(' · ');
      break;
    case 'stop':
    case 'stop_failure':
      text = data.last_assistant_message || data.error || 'turn finished';
      break;
    case 'session_end':
      text = data.reason ? `reason ${data.reason}` : 'session ended';
      break;
    case 'pre_compact':
      text = data.trigger ? `${data.trigger} compaction` : 'compaction';
      break;
    default:
      text = data.hook_event_name && data.tool_name ? toolSummary(data) : fallback(data);
  }
  return truncate(text, MAX);
}
