// The checks behind `hookbroker doctor`. Each returns findings a person can
// act on: what is wrong, and the command or setting that fixes it.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "broker_client/broker_endpoint.hpp"

namespace hookbroker::doctor {

struct Finding {
  enum class Level { Ok, Warn, Fail };
  Level level = Level::Ok;
  std::string check;    ///< "broker", "hooks", "spool", ...
  std::string message;  ///< one line
};

/// Settings files Claude Code merges, in the order it reads them; only the
/// ones that exist are checked.
std::vector<std::string> claude_settings_files(const std::string& home, const std::string& project_dir);

/// Config resolution: which file, which address, problems.
std::vector<Finding> check_config(const broker_client::BrokerEndpoint& endpoint);
/// GET /health answers 200 from a hookbroker.
std::vector<Finding> check_broker(const broker_client::BrokerEndpoint& endpoint, int timeout_ms);
/// hookbroker-hook exists next to the doctor and runs.
std::vector<Finding> check_forwarder(const std::string& bin_dir);
/// Each hook event has exactly one hookbroker entry across all the files
/// (two files each holding one fire it twice).
std::vector<Finding> check_hooks(const std::vector<std::string>& settings_files);
/// Events waiting in the spool, refused ones, and the forwarder's log.
std::vector<Finding> check_spool(const broker_client::BrokerEndpoint& endpoint, bool broker_up);
/// The forwarder can write its spool directory and its log: without them an
/// event that cannot reach the broker is lost unrecorded.
std::vector<Finding> check_forwarder_files(const broker_client::BrokerEndpoint& endpoint);

/// Claude Code's OpenTelemetry (docs/telemetry.md): turned on in a settings
/// file (CLAUDE_CODE_ENABLE_TELEMETRY=1 with an OTLP endpoint), and whether
/// the broker received any (GET /api/telemetry). Optional: off is not a
/// failure.
std::vector<Finding> check_telemetry(const std::vector<std::string>& settings_files,
                                     const broker_client::BrokerEndpoint& endpoint, bool broker_up, int timeout_ms);
/// The judgement behind check_telemetry: `turned_on_in` is the settings file
/// that turns it on ("" when none does), `endpoint_setting` its
/// OTEL_EXPORTER_OTLP_ENDPOINT, `received` the broker's telemetry counters
/// (null when it could not be asked).
Finding telemetry_finding(const std::string& turned_on_in, const std::string& endpoint_setting,
                          const std::string& broker_url, const nlohmann::json& received);

/// Why this process could not create files in `dir`, or "" when it can (a
/// probe file is created and removed). A directory that does not exist yet
/// is judged by its nearest existing ancestor: the forwarder creates it.
std::string directory_write_problem(const std::string& dir);
/// Why this process could not append to `file` (created when missing), or "".
std::string file_append_problem(const std::string& file);

/// All findings as JSON: {"ok": bool, "findings": [{level, check, message}]}.
nlohmann::json findings_json(const std::vector<Finding>& findings);

}  // namespace hookbroker::doctor
