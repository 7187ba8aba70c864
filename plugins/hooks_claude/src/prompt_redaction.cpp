#include "prompt_redaction.hpp"

#include "hook_fields.hpp"

namespace hookbroker::claude {

namespace {

void redact_string(nlohmann::json& obj, const char* key) {
  if (!obj.is_object()) return;
  const auto it = obj.find(key);
  if (it != obj.end() && it->is_string()) *it = kRedactedPrompt;
}

/// An Agent/Task call's prompt for its subagent, in its input and its answer.
void redact_tool_call(nlohmann::json& call) {
  if (!is_delegation_tool(call)) return;
  if (call.contains("tool_input")) redact_string(call["tool_input"], "prompt");
  if (call.contains("tool_response")) redact_string(call["tool_response"], "prompt");
}

}  // namespace

void redact_prompts(nlohmann::json& payload) {
  if (!payload.is_object()) return;
  for (const char* key : {"prompt", "prompt_text", "command_args"}) redact_string(payload, key);
  redact_tool_call(payload);
  for (const char* list : {"tool_calls", "session_crons"}) {
    const auto it = payload.find(list);
    if (it == payload.end() || !it->is_array()) continue;
    for (auto& entry : *it) {
      redact_tool_call(entry);
      if (std::string(list) == "session_crons") redact_string(entry, "prompt");
    }
  }
}

bool is_redacted(const std::string& text) { return text == kRedactedPrompt; }

}  // namespace hookbroker::claude
