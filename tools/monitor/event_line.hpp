// One line per broadcast event for `hookbroker monitor --events`:
//
//   12:00:02 claude_event hook/pre_tool  session 4f1c2a9e  tool Bash
//
// Pure: the caller passes the current time (used when the event has none).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "monitor_text.hpp"

namespace hookbroker::monitor {

/// `channel` is the Socket.IO event name (claude_event, system_event);
/// `payload` its first argument. Ends with '\n'.
std::string format_event_line(std::string_view channel, const nlohmann::json& payload, SystemTime now);

}  // namespace hookbroker::monitor
