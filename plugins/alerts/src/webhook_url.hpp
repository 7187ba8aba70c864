// Webhook targets: plain http:// URLs (a loopback relay, a chat bridge).
// https is refused at load time rather than sent in clear by surprise.
#pragma once

#include <string>

namespace hookbroker::alerts {

struct WebhookUrl {
  std::string url;     ///< as configured, for logs
  std::string host;    ///< name or address, without brackets
  std::string port;    ///< "80" when not given
  std::string target;  ///< path and query, "/" when not given
};

/// Throws hookbroker::ConfigError saying what is wrong with `url`.
WebhookUrl parse_webhook_url(const std::string& url);

}  // namespace hookbroker::alerts
