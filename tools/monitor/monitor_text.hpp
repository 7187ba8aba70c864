// Small pieces of the monitor's human output: clock times, durations, ages,
// shortened ids. Pure functions, so their edge cases are unit tested.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace hookbroker::monitor {

using SystemTime = std::chrono::system_clock::time_point;

/// "HH:MM:SS" of `when` in the local time zone.
std::string clock_time(SystemTime when);

/// The wire timestamp `iso` as local "HH:MM:SS", or `fallback`'s when it is
/// not a timestamp (a sender's odd clock format must not hide the line).
std::string clock_time_of(const nlohmann::json& iso, SystemTime fallback);

/// An uptime, compact and exact to the unit shown: "45s", "12m05s",
/// "1h02m", "3d04h".
std::string format_uptime(std::int64_t seconds);

/// How long ago `iso` was, seen at `now`: "12 s ago", "5 min ago", "2 h ago",
/// "3 d ago"; "?" when `iso` is not a timestamp. A time slightly in the
/// future (clocks of two machines) reads "0 s ago".
std::string format_age(const nlohmann::json& iso, SystemTime now);

/// The first 8 characters of a session id: enough to tell sessions apart on
/// one screen (Claude Code's ids are UUIDs).
std::string short_id(std::string_view id);

/// `j[key]` as a string, or `fallback` when missing or not a string.
std::string text_of(const nlohmann::json& j, const char* key, const std::string& fallback = "");

}  // namespace hookbroker::monitor
