// A broker with the session plugins and transport_jsonl, for the sessions
// integration tests, plus reading its heartbeats.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "broker_process.hpp"

namespace sessions_it {

/// hookbroker flags: ephemeral port, heartbeat every `interval` seconds,
/// transport_jsonl writing broadcasts to `bus_file` and reading `input` ("" = none).
std::vector<std::string> broker_args(const std::string& bus_file, const std::string& input,
                                     const std::string& interval, std::vector<std::string> extra = {});

/// Every heartbeat's `data` written to `bus_file` so far, oldest first.
std::vector<nlohmann::json> heartbeats(const std::string& bus_file);

/// The first heartbeat (data) satisfying `match`, waiting up to `timeout`
/// (scaled); a JSON null when none came.
nlohmann::json wait_for_heartbeat(const std::string& bus_file,
                                  const std::function<bool(const nlohmann::json&)>& match,
                                  std::chrono::milliseconds timeout);

/// The session with `id` in a heartbeat's active_sessions, or null.
nlohmann::json session_in(const nlohmann::json& heartbeat_data, const std::string& id);

/// How many of a session's delegations have `status` ("running", "completed").
std::size_t delegations_with(const nlohmann::json& session, const std::string& status);

/// The heartbeat log line regex for the given numbers ("[0-9]+" for any).
std::string heartbeat_log_line(const std::string& clients, const std::string& events,
                               const std::string& sessions);

}  // namespace sessions_it
