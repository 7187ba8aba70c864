#include "webhook_url.hpp"

#include <algorithm>

#include "hookbroker/config.hpp"

namespace hookbroker::alerts {

WebhookUrl parse_webhook_url(const std::string& url) {
  auto fail = [&](const std::string& why) {
    throw ConfigError("alerts webhooks: \"" + url + "\" " + why);
  };
  const std::string scheme = "http://";
  if (url.rfind("https://", 0) == 0)
    fail("uses https, which this plugin does not speak; point it at a local http:// relay");
  if (url.rfind(scheme, 0) != 0) fail("is not an http:// URL (write http://HOST[:PORT]/PATH)");
  WebhookUrl out;
  out.url = url;
  const std::size_t path_start = url.find('/', scheme.size());
  std::string authority = url.substr(scheme.size(), path_start - scheme.size());
  out.target = path_start == std::string::npos ? "/" : url.substr(path_start);
  if (authority.find('@') != std::string::npos) fail("carries credentials; put them in the path or a relay");
  std::string port = "80";
  if (!authority.empty() && authority.front() == '[') {  // [::1]:8080
    const std::size_t close = authority.find(']');
    if (close == std::string::npos) fail("has an unclosed '[' in its host");
    out.host = authority.substr(1, close - 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') fail("has text after its bracketed host");
      port = authority.substr(close + 2);
    }
  } else {
    const std::size_t colon = authority.find(':');
    out.host = authority.substr(0, colon);
    if (colon != std::string::npos) port = authority.substr(colon + 1);
  }
  if (out.host.empty()) fail("has no host");
  if (port.empty() || port.size() > 5 || !std::all_of(port.begin(), port.end(), ::isdigit) || std::stoi(port) == 0 ||
      std::stoi(port) > 65535)
    fail("has a bad port \"" + port + "\" (1-65535)");
  out.port = port;
  if (out.target.find_first_of(" \r\n") != std::string::npos) fail("has spaces or line breaks in its path");
  return out;
}

}  // namespace hookbroker::alerts
