#include "options/core_options.hpp"

#include "hookbroker/config.hpp"

namespace hookbroker::core {

const std::vector<CoreOption>& core_options() {
  using hookbroker::ConfigType;
  static const std::vector<CoreOption> table = {
      {option("host", ConfigType::String, R"("127.0.0.1")",
              "Address transports bind. Keep 127.0.0.1 unless the broker must be reachable from other machines"),
       "--host", "HOOKBROKER_HOST"},
      {ranged_option("port", ConfigType::Int, "8765", "Port transports bind (0 picks a free port)", 0, 65535),
       "--port", "HOOKBROKER_PORT"},
      {option("token", ConfigType::String, R"("")",
              "Shared secret clients must present (Socket.IO auth.token, HTTP Authorization: Bearer); empty = none"),
       "--token", "HOOKBROKER_TOKEN"},
      {option("allowed_hosts", ConfigType::StringList, "[]",
              "More names the HTTP Host header may carry, besides localhost, 127.0.0.1, [::1] and the "
              "configured host (\"*.example.com\" for subdomains, \"*\" for any): requests for other names "
              "are refused against DNS rebinding; the flag may be repeated, the variable is ','-separated"),
       "--allowed-host", "HOOKBROKER_ALLOWED_HOSTS"},
      {option("cors_origins", ConfigType::StringList,
              R"(["http://localhost:*","http://127.0.0.1:*","http://[::1]:*"])",
              "Browser origins allowed to use the broker (CORS; every request from another origin, "
              "WebSocket and polling connections included, is refused): exact origins, \"scheme://host:*\" "
              "for any port, or \"*\"; the broker's own origin is always allowed; the flag may be repeated, "
              "the variable is ','-separated"),
       "--cors-origin", "HOOKBROKER_CORS_ORIGINS"},
      {ranged_option("auth_failure_log_interval_s", ConfigType::Number, "60",
                     "Failed authentications (a missing or wrong token, HTTP or Socket.IO) are logged once when "
                     "they start, then summarised every this many seconds while they go on: counts by kind and "
                     "the peer addresses they came from",
                     0.1, 86400),
       "--auth-failure-log-interval-s", "HOOKBROKER_AUTH_FAILURE_LOG_INTERVAL_S"},
      {renamed(ranged_option("heartbeat.interval_s", ConfigType::Number, "60", "Seconds between heartbeats", 0.05),
               "heartbeat.interval"),
       "--heartbeat-interval-s", "HOOKBROKER_HEARTBEAT_INTERVAL_S", "--heartbeat-interval",
       "HOOKBROKER_HEARTBEAT_INTERVAL"},
      {renamed(ranged_option("heartbeat.contributor_timeout_s", ConfigType::Number, "0.25",
                             "Seconds each heartbeat contributor may take before it is skipped for that tick "
                             "(capped at half the interval)",
                             0.001, 60),
               "heartbeat.contributor_timeout"),
       "--contributor-timeout-s", "HOOKBROKER_CONTRIBUTOR_TIMEOUT_S", "--contributor-timeout",
       "HOOKBROKER_CONTRIBUTOR_TIMEOUT"},
      {ranged_option("threads", ConfigType::Int, "0", "Worker threads running the event loop (0 = one per core)", 0, 256),
       "--threads", "HOOKBROKER_THREADS"},
      {ranged_option("history.size", ConfigType::Int, "1000", "Events kept in the in-memory history ring", 0, 1000000),
       "--history-size", "HOOKBROKER_HISTORY_SIZE"},
      {choice_option("log.level", R"("info")", "Log level", "trace|debug|info|warn|error|off"),
       "--log-level", "HOOKBROKER_LOG_LEVEL"},
      {option("plugin_dirs", ConfigType::StringList, "[]",
              "Extra directories scanned for plugins (*.so), after the installed plugin directory; "
              "the flag may be repeated, the variable is ':'-separated"),
       "--plugin-dir", "HOOKBROKER_PLUGIN_DIRS"},
      {option("builtin_plugins", ConfigType::Bool, "true",
              "Load plugins from the installed plugin directory (false: only --plugin-dir ones)"),
       nullptr, "HOOKBROKER_BUILTIN_PLUGINS"},
      {option("allow_insecure_plugin_paths", ConfigType::Bool, "false",
              "Also load plugins that users other than root and the broker's own could change (a plugin file "
              "or directory writable by group or others, or owned by someone else), with a warning for each "
              "place: for developing plugins only, never in production"),
       "--allow-insecure-plugin-paths", "HOOKBROKER_ALLOW_INSECURE_PLUGIN_PATHS"},
      {option("state_dir", ConfigType::String, R"("")",
              "Directory for state files such as the hook spool (default $XDG_STATE_HOME/hookbroker)"),
       "--state-dir", "HOOKBROKER_STATE_DIR"},
      {option("data_dir", ConfigType::String, R"("")",
              "Directory of shared data such as the dashboard (default: share/hookbroker of this installation)"),
       nullptr, "HOOKBROKER_DATA_DIR"},
      {option("plugins", ConfigType::Object, "{}",
              R"(Per-plugin settings: {"<name>": {"enabled": true, "required": false, "config": {...}}})"),
       nullptr, nullptr},
  };
  return table;
}

}  // namespace hookbroker::core
