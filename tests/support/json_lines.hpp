// Reading what transport_jsonl writes: one JSON object per line.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace hbtest {

/// Every complete line of `path` parsed as JSON (a partly written last line is skipped).
std::vector<nlohmann::json> read_json_lines(const std::string& path);

/// The lines whose "event" is `channel` and, when given, whose data.subtype is `subtype`.
std::vector<nlohmann::json> broadcasts(const std::string& path, const std::string& channel,
                                       const std::string& subtype = "");

/// Parses "2026-11-25T10:54:14.440Z" (UTC, ms) into a time point.
std::chrono::system_clock::time_point parse_iso8601(const std::string& text);

}  // namespace hbtest
