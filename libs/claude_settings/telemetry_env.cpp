#include "claude_settings/telemetry_env.hpp"

namespace hookbroker::claude_settings {
namespace {

/// The "env" object, or nullptr with `error` set when it is not an object of strings.
nlohmann::ordered_json* env_of(nlohmann::ordered_json& settings, bool create, std::string& error) {
  if (!settings.contains("env")) {
    if (!create) return nullptr;
    settings["env"] = nlohmann::ordered_json::object();
  }
  auto& env = settings["env"];
  if (!env.is_object()) {
    error = "\"env\" is not an object of variables";
    return nullptr;
  }
  return &env;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> telemetry_env(const std::string& base_url) {
  return {{"CLAUDE_CODE_ENABLE_TELEMETRY", "1"},
          {"OTEL_LOGS_EXPORTER", "otlp"},
          {"OTEL_METRICS_EXPORTER", "otlp"},
          {"OTEL_EXPORTER_OTLP_PROTOCOL", "http/json"},
          {"OTEL_EXPORTER_OTLP_ENDPOINT", base_url}};
}

EnvResult install_telemetry_env(nlohmann::ordered_json& settings, const std::string& base_url) {
  EnvResult out;
  auto* env = env_of(settings, true, out.error);
  if (!env) return out;
  auto wanted = telemetry_env(base_url);
  wanted.emplace_back(kTelemetryMarker, "1");
  for (const auto& [name, value] : wanted) {
    const auto it = env->find(name);
    if (it == env->end()) {
      (*env)[name] = value;
      out.added.push_back(name);
    } else if (!it->is_string() || it->get<std::string>() != value) {
      out.conflicts.push_back(name + "=" + (it->is_string() ? it->get<std::string>() : it->dump()));
    }
  }
  out.ok = true;
  return out;
}

EnvResult uninstall_telemetry_env(nlohmann::ordered_json& settings, const std::string& base_url) {
  EnvResult out;
  auto* env = env_of(settings, false, out.error);
  out.ok = out.error.empty();
  if (!env || !env->contains(kTelemetryMarker)) return out;
  auto ours = telemetry_env(base_url);
  ours.emplace_back(kTelemetryMarker, (*env)[kTelemetryMarker].is_string() ? (*env)[kTelemetryMarker].get<std::string>() : "1");
  for (const auto& [name, value] : ours) {
    const auto it = env->find(name);
    if (it != env->end() && it->is_string() && it->get<std::string>() == value) {
      env->erase(it);
      out.added.push_back(name);
    }
  }
  if (env->empty()) settings.erase("env");
  return out;
}

}  // namespace hookbroker::claude_settings
