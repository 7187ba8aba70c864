// The alerts plugin's configuration: its option table and the checked form
// the plugin runs on.
#pragma once

#include <chrono>
#include <vector>

#include <nlohmann/json.hpp>

#include "alert_rule.hpp"
#include "hookbroker/config.hpp"
#include "http_client/http_url.hpp"

namespace hookbroker::alerts {

struct WebhookPolicy {
  std::vector<http_client::HttpUrl> urls;  ///< plain http:// (a loopback relay, a chat bridge)
  std::chrono::milliseconds timeout{};  ///< per attempt: connect, send, answer (webhook_timeout_s)
  unsigned retries = 0;                 ///< attempts after the first (webhook_retries)
  std::chrono::milliseconds backoff{};  ///< before the first retry; doubles each time (webhook_backoff_s)
  std::size_t max_pending = 100;        ///< deliveries in flight or waiting; beyond, dropped (not an option)
};

struct AlertOptions {
  std::vector<AlertRule> rules;
  bool contributor_errors = false;     ///< built-in: a heartbeat contributor failed
  unsigned no_clients_ticks = 0;       ///< built-in: no clients for N ticks; 0 = off
  double permission_wait_seconds = 0;  ///< built-in: session waiting for permission (permission_wait_s); 0 = off
  WebhookPolicy webhooks;

  /// `config` is complete: the core filled in the table's defaults, the one
  /// home of each (tests: hookbroker::with_defaults(table(), ...)). Throws
  /// hookbroker::ConfigError naming the rule or URL at fault.
  static AlertOptions from_config(const nlohmann::json& config);
  /// The option table, a constant for the manifest (config.hpp).
  static constexpr auto table() {
    return hookbroker::config_table(
        option("rules", ConfigType::Array, "[]",
               "threshold rules: [{\"name\", \"metric\" (dotted heartbeat path), \"op\" (> >= < <= == !=), "
               "\"value\", \"for_ticks\" (1), \"severity\" (info|warning|critical), \"message\"}]"),
        option("contributor_errors", ConfigType::Bool, "true",
               "built-in alert per plugin whose heartbeat contribution failed (data.plugin_errors)"),
        ranged_option("no_clients_ticks", ConfigType::Int, "0",
                      "built-in alert when no client is connected for this many heartbeats; 0 = off", 0, 100000),
        renamed(ranged_option("permission_wait_s", ConfigType::Number, "300",
                              "built-in alert per session waiting for permission longer than this many seconds; "
                              "0 = off",
                              0, 604800),
                "permission_wait_seconds"),
        option("webhooks", ConfigType::StringList, "[]",
               "http:// URLs each alert transition is POSTed to as JSON"),
        renamed(ranged_option("webhook_timeout_s", ConfigType::Number, "5", "seconds per webhook attempt", 0.05, 300),
                "webhook_timeout"),
        ranged_option("webhook_retries", ConfigType::Int, "3", "webhook attempts after the first failed one", 0, 20),
        renamed(ranged_option("webhook_backoff_s", ConfigType::Number, "1",
                              "seconds before the first webhook retry; doubles for each further one", 0, 3600),
                "webhook_backoff"));
  }
};

/// A webhook target; throws hookbroker::ConfigError saying what is wrong with
/// `url` (https is refused at load time rather than sent in clear by surprise).
http_client::HttpUrl parse_webhook_url(const std::string& url);

}  // namespace hookbroker::alerts
