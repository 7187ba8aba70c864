// The bookkeeping of the tool_usage example, free of any broker API so it can
// be read (and tested) on its own: counts per tool and per session, and
// notices a tool that keeps failing in one session.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace tool_usage {

/// What to announce when a tool failed `threshold` times in a row.
struct RepeatedFailure {
  std::string session_id;
  std::string tool_name;
  int consecutive_failures = 0;
  nlohmann::json last_error;  ///< the failing tool_response / error, as sent
};

class ToolUsageCounter {
 public:
  ToolUsageCounter(int failure_threshold, std::size_t max_sessions)
      : failure_threshold_(failure_threshold), max_sessions_(max_sessions) {}

  /// Feeds one accepted event as clients receive it ({type, subtype,
  /// session_id?, data}). Returns a RepeatedFailure the moment a streak of
  /// failures of one tool in one session reaches the threshold (once per streak).
  std::optional<RepeatedFailure> observe(const nlohmann::json& event);

  /// {"total_calls", "total_failures", "by_tool": {...}, "by_session": {...}}
  nlohmann::json snapshot() const;

 private:
  struct Tally {
    std::uint64_t calls = 0;
    std::uint64_t failures = 0;
  };
  struct Session {
    std::map<std::string, Tally> by_tool;
    std::map<std::string, int> failure_streak;  ///< per tool, reset by a success
    std::uint64_t last_seen = 0;                ///< for evicting the stalest session
  };

  Session& session(const std::string& id);
  std::optional<RepeatedFailure> record_result(const std::string& session_id, const std::string& tool,
                                               const nlohmann::json& data, bool failed);

  int failure_threshold_;
  std::size_t max_sessions_;
  std::uint64_t clock_ = 0;
  std::uint64_t total_calls_ = 0;
  std::uint64_t total_failures_ = 0;
  std::map<std::string, Tally> by_tool_;
  std::map<std::string, Session> sessions_;
};

/// True when a PostToolUse payload reports that the tool failed.
bool tool_response_failed(const nlohmann::json& data);

}  // namespace tool_usage
