// The `env` block that turns on Claude Code's OpenTelemetry export to the
// broker (docs/telemetry.md), installed into and removed from a
// settings.json without touching the user's own variables.
//
// What hookbroker wrote is recognised by HOOKBROKER_TELEMETRY=1 beside it:
// uninstall removes only the variables that still hold hookbroker's values.
// A variable the user set to another value (their own collector) is kept and
// reported, never overwritten.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace hookbroker::claude_settings {

inline constexpr const char* kTelemetryMarker = "HOOKBROKER_TELEMETRY";

/// The variables, in order, for a broker at `base_url` ("http://127.0.0.1:8765").
std::vector<std::pair<std::string, std::string>> telemetry_env(const std::string& base_url);

struct EnvResult {
  bool ok = false;
  std::string error;                  ///< "env" is not an object of strings
  std::vector<std::string> added;     ///< variables set (or removed, on uninstall)
  std::vector<std::string> conflicts; ///< "NAME=value": the user's other value, kept
  bool changed() const { return !added.empty(); }
};

/// Sets each variable that is absent; leaves one already holding the same
/// value; keeps (and reports) one holding another value. Adds the marker.
EnvResult install_telemetry_env(nlohmann::ordered_json& settings, const std::string& base_url);

/// With the marker present: removes the marker and each variable that
/// still holds hookbroker's value, and "env" when that leaves it empty.
EnvResult uninstall_telemetry_env(nlohmann::ordered_json& settings, const std::string& base_url);

}  // namespace hookbroker::claude_settings
