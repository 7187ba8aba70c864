#include "alert_options.hpp"

#include <gtest/gtest.h>

#include "hookbroker/config.hpp"

namespace {

using namespace hookbroker::alerts;
using nlohmann::json;

json defaults() { return hookbroker::with_defaults(AlertOptions::table()); }

std::string config_error(const json& config) {
  try {
    AlertOptions::from_config(config);
  } catch (const hookbroker::ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(AlertOptions, DefaultsHaveNoRulesAndTheSafeBuiltIns) {
  const auto o = AlertOptions::from_config(defaults());
  EXPECT_TRUE(o.rules.empty());
  EXPECT_TRUE(o.contributor_errors);
  EXPECT_EQ(o.no_clients_ticks, 0u);
  EXPECT_DOUBLE_EQ(o.permission_wait_seconds, 300);
  EXPECT_TRUE(o.webhooks.urls.empty());
  EXPECT_EQ(o.webhooks.timeout, std::chrono::milliseconds(5000));
  EXPECT_EQ(o.webhooks.retries, 3u);
  EXPECT_EQ(o.webhooks.backoff, std::chrono::milliseconds(1000));
}

TEST(AlertOptions, OldOptionNamesStillLoad) {
  const auto o = AlertOptions::from_config(hookbroker::with_defaults(
      AlertOptions::table(), {{"permission_wait_seconds", 60}, {"webhook_timeout", 2}, {"webhook_backoff", 0.5}}));
  EXPECT_DOUBLE_EQ(o.permission_wait_seconds, 60);
  EXPECT_EQ(o.webhooks.timeout, std::chrono::milliseconds(2000));
  EXPECT_EQ(o.webhooks.backoff, std::chrono::milliseconds(500));
}

TEST(AlertOptions, TwoRulesWithOneNameAreRefused) {
  json config = defaults();
  config["rules"] = {{{"name", "a"}, {"metric", "x"}, {"op", ">"}, {"value", 1}},
                     {{"name", "a"}, {"metric", "y"}, {"op", ">"}, {"value", 1}}};
  EXPECT_NE(config_error(config).find("alerts rule #2 (\"a\"): another rule has the same name"), std::string::npos);
}

TEST(AlertOptions, WebhookUrlsAreCheckedAtLoad) {
  const std::pair<const char*, const char*> cases[] = {
      {"https://example.com/x", "uses https"},
      {"ftp://example.com/x", "is not an http:// URL"},
      {"http://:80/x", "has no host"},
      {"http://host:99999/x", "bad port"},
      {"http://user:pw@host/x", "carries credentials"},
      {"http://host/a b", "spaces"},
  };
  for (const auto& [url, expected] : cases) {
    json config = defaults();
    config["webhooks"] = {url};
    const std::string error = config_error(config);
    EXPECT_NE(error.find(expected), std::string::npos) << url << ": " << error;
    EXPECT_NE(error.find(url), std::string::npos) << "the message names the URL: " << error;
  }
}

}  // namespace
