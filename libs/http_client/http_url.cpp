#include "http_client/http_url.hpp"

namespace hookbroker::http_client {

bool parse_port(std::string_view text, std::uint16_t& port) {
  if (text.empty() || text.size() > 5) return false;
  unsigned long value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<unsigned long>(c - '0');
  }
  if (value == 0 || value > 65535) return false;
  port = static_cast<std::uint16_t>(value);
  return true;
}

std::string parse_http_url(std::string_view url, HttpUrl& out) {
  constexpr std::string_view scheme = "http://";
  if (url.substr(0, 8) == "https://")
    return "uses https, which hookbroker does not speak; point it at a local http:// relay";
  if (url.substr(0, scheme.size()) != scheme) return "is not an http:// URL (write http://HOST[:PORT]/PATH)";
  out = HttpUrl{};
  out.url = std::string(url);
  std::string_view rest = url.substr(scheme.size());
  const std::size_t path_start = rest.find_first_of("/?#");
  const std::string_view authority_text = rest.substr(0, path_start);
  std::string target = path_start == std::string_view::npos ? std::string() : std::string(rest.substr(path_start));
  if (const auto hash = target.find('#'); hash != std::string::npos) target.erase(hash);
  if (target.empty() || target.front() != '/') target.insert(0, "/");
  out.target = target;
  if (authority_text.find('@') != std::string_view::npos) return "carries credentials; put them in the path or a relay";

  std::string_view port_text;
  bool has_port = false;
  if (!authority_text.empty() && authority_text.front() == '[') {  // [::1]:8080
    const std::size_t close = authority_text.find(']');
    if (close == std::string_view::npos) return "has an unclosed '[' in its host";
    out.host = std::string(authority_text.substr(1, close - 1));
    const std::string_view after = authority_text.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return "has text after its bracketed host";
      port_text = after.substr(1);
      has_port = true;
    }
  } else {
    const std::size_t colon = authority_text.find(':');
    out.host = std::string(authority_text.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = authority_text.substr(colon + 1);
      has_port = true;
    }
  }
  if (out.host.empty()) return "has no host";
  if (has_port && !parse_port(port_text, out.port))
    return "has a bad port \"" + std::string(port_text) + "\" (1-65535)";
  if (out.target.find_first_of(" \r\n") != std::string::npos) return "has spaces or line breaks in its path";
  return {};
}

std::string authority(const std::string& host, std::uint16_t port) {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

}  // namespace hookbroker::http_client
