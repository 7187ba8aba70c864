// The alerts plugin's configuration: its option table and the checked form
// the plugin runs on.
#pragma once

#include <chrono>
#include <vector>

#include <nlohmann/json.hpp>

#include "alert_rule.hpp"
#include "hookbroker/manifest.hpp"
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
  static std::vector<hookbroker_config_option> table();
};

/// A webhook target; throws hookbroker::ConfigError saying what is wrong with
/// `url` (https is refused at load time rather than sent in clear by surprise).
http_client::HttpUrl parse_webhook_url(const std::string& url);

}  // namespace hookbroker::alerts
