#include "alert_options.hpp"

#include <set>

#include "hookbroker/config.hpp"

namespace hookbroker::alerts {
namespace {

std::chrono::milliseconds seconds(const nlohmann::json& config, const char* key) {
  return std::chrono::milliseconds(static_cast<long long>(config.at(key).get<double>() * 1000.0));
}

}  // namespace

http_client::HttpUrl parse_webhook_url(const std::string& url) {
  http_client::HttpUrl parsed;
  if (const std::string error = http_client::parse_http_url(url, parsed); !error.empty())
    throw ConfigError("alerts webhooks: \"" + url + "\" " + error);
  return parsed;
}

AlertOptions AlertOptions::from_config(const nlohmann::json& config) {
  AlertOptions o;
  const nlohmann::json& rules = config.at("rules");
  if (!rules.is_array()) throw ConfigError("alerts \"rules\" must be an array of rule objects");
  std::set<std::string> names;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    AlertRule rule = parse_rule(rules[i], i);
    if (!names.insert(rule.name).second)
      throw ConfigError("alerts rule #" + std::to_string(i + 1) + " (\"" + rule.name +
                        "\"): another rule has the same name; give each rule its own \"name\"");
    o.rules.push_back(std::move(rule));
  }
  o.contributor_errors = config.at("contributor_errors").get<bool>();
  o.no_clients_ticks = config.at("no_clients_ticks").get<unsigned>();
  o.permission_wait_seconds = config.at("permission_wait_s").get<double>();
  for (const auto& url : config.at("webhooks").get<std::vector<std::string>>())
    o.webhooks.urls.push_back(parse_webhook_url(url));
  o.webhooks.timeout = seconds(config, "webhook_timeout_s");
  o.webhooks.retries = config.at("webhook_retries").get<unsigned>();
  o.webhooks.backoff = seconds(config, "webhook_backoff_s");
  return o;
}

}  // namespace hookbroker::alerts
