// redact_prompts: prompt text leaves nothing behind. Hook payloads carry the
// user's words in UserPromptSubmit.prompt, UserPromptExpansion.prompt and
// command_args, the task an Agent/Task call gives its subagent
// (tool_input.prompt, tool_response.prompt, also inside PostToolBatch's
// tool_calls) and session_crons[].prompt of Stop/SubagentStop. With the
// option on, each of these strings is replaced by a fixed marker before the
// event is broadcast, stored or applied to a session.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace hookbroker::claude {

/// What a redacted prompt reads.
inline constexpr const char* kRedactedPrompt = "[redacted]";

/// Replaces the prompt texts of a native hook payload (see above) in place;
/// the payload keeps its shape, so consumers still see which fields there were.
void redact_prompts(nlohmann::json& payload);

/// Whether `text` is the marker redact_prompts left.
bool is_redacted(const std::string& text);

}  // namespace hookbroker::claude
