#include "http/http_policy.hpp"

#include <algorithm>
#include <cstdint>

#include <boost/asio/ip/address.hpp>

#include "http_framing/field_text.hpp"

namespace hookbroker::core {
namespace {

using http_framing::ascii_lower;

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out.empty() ? "(none)" : out;
}

/// The host name of a Host header value: "Name:8765" → "name", "[::1]:8765" → "::1".
std::string host_name(const std::string& header) {
  if (!header.empty() && header.front() == '[') {
    const std::size_t close = header.find(']');
    return ascii_lower(header.substr(1, close == std::string::npos ? std::string::npos : close - 1));
  }
  const std::size_t colon = header.rfind(':');
  if (colon != std::string::npos && header.find(':') == colon) return ascii_lower(header.substr(0, colon));
  return ascii_lower(header);
}

bool is_ip_literal(const std::string& name) {
  boost::system::error_code ec;
  boost::asio::ip::make_address(name, ec);
  return !ec;
}

bool is_loopback_name(const std::string& name) {
  if (name == "localhost" || name == "::1") return true;
  boost::system::error_code ec;
  const auto address = boost::asio::ip::make_address(name, ec);
  return !ec && address.is_loopback();
}

bool origin_matches(std::string_view pattern, std::string_view origin) {
  if (pattern == "*") return true;
  constexpr std::string_view kAnyPort = ":*";
  if (pattern.size() > kAnyPort.size() && pattern.substr(pattern.size() - kAnyPort.size()) == kAnyPort) {
    const std::string_view base = pattern.substr(0, pattern.size() - kAnyPort.size());
    if (origin == base) return true;
    if (origin.size() <= base.size() + 1 || origin.substr(0, base.size()) != base || origin[base.size()] != ':')
      return false;
    const std::string_view port = origin.substr(base.size() + 1);
    return port.size() <= 5 && std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; });
  }
  return pattern == origin;
}

HttpResponse forbidden(const std::string& message) { return HttpResponse::error(403, message); }

/// A header value as quoted back in an error: bounded (it is the sender's text).
std::string quoted(const std::string& text) {
  constexpr std::size_t kMax = 100;
  return "'" + (text.size() > kMax ? text.substr(0, kMax) + "..." : text) + "'";
}

}  // namespace

bool is_valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      n = 1, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3, cp = c & 0x07;
    } else {
      return false;
    }
    if (i + n >= text.size()) return false;  // cut short
    for (std::size_t k = 1; k <= n; ++k) {
      const auto d = static_cast<unsigned char>(text[i + k]);
      if ((d & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3F);
    }
    static constexpr std::uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n + 1;
  }
  return true;
}

bool constant_time_equals(std::string_view expected, std::string_view given) {
  // The length is not worth hiding; the content is compared without an early exit.
  if (expected.empty() || expected.size() != given.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < given.size(); ++i) diff |= static_cast<unsigned char>(given[i] ^ expected[i]);
  return diff == 0;
}

HttpPolicy::HttpPolicy(Config config) : config_(std::move(config)) {
  for (auto& h : config_.allowed_hosts) h = host_name(h);
  bind_name_ = host_name(config_.bind_host);
  bind_all_ = bind_name_.empty() || bind_name_ == "0.0.0.0" || bind_name_ == "::";
}

bool HttpPolicy::host_allowed(const std::string& name) const {
  if (is_loopback_name(name)) return true;
  if (name == bind_name_) return true;
  // A page cannot rebind an address literal: when the broker listens on every
  // interface, any of the machine's addresses is a fair way to reach it.
  if (bind_all_ && is_ip_literal(name)) return true;
  for (const auto& allowed : config_.allowed_hosts) {
    if (allowed == "*" || allowed == name) return true;
    if (allowed.size() > 2 && allowed.compare(0, 2, "*.") == 0 && name.size() > allowed.size() - 1 &&
        name.compare(name.size() - (allowed.size() - 1), std::string::npos, allowed, 1) == 0)
      return true;
  }
  return false;
}

std::optional<HttpResponse> HttpPolicy::check_host(const HttpRequest& request) const {
  const std::string header = request.header("host");
  // HTTP/1.0 clients may omit Host; browsers never do.
  if (header.empty() || host_allowed(host_name(header))) return std::nullopt;
  return forbidden("Host " + quoted(header) +
                   " is not allowed: hookbroker answers only requests addressed to its own names "
                   "(localhost, 127.0.0.1, [::1], the configured host) so that web pages cannot reach it "
                   "through DNS rebinding; to use this name, add it to allowed_hosts "
                   "(--allowed-host NAME or HOOKBROKER_ALLOWED_HOSTS)");
}

bool HttpPolicy::origin_allowed(const HttpRequest& request, std::string_view origin) const {
  if (origin.empty()) return false;
  if (std::any_of(config_.cors_origins.begin(), config_.cors_origins.end(),
                  [&](const std::string& p) { return origin_matches(p, origin); }))
    return true;
  // The broker's own pages (the dashboard) call it from its own origin.
  const std::string host = request.header("host");
  return !host.empty() && (origin == "http://" + host || origin == "https://" + host);
}

std::optional<HttpResponse> HttpPolicy::check_origin(const HttpRequest& request) const {
  const std::string origin = request.header("origin");
  if (origin.empty() || origin_allowed(request, origin)) return std::nullopt;
  return forbidden("Origin " + quoted(origin) + " is not allowed: browser pages may use hookbroker only from " +
                   join(config_.cors_origins) +
                   " or the broker's own origin; to allow this one, add it to cors_origins "
                   "(--cors-origin ORIGIN or HOOKBROKER_CORS_ORIGINS)");
}

Credential HttpPolicy::bearer_credential(const HttpRequest& request) const {
  if (config_.token.empty()) return Credential::Accepted;
  const std::string header = request.header("authorization");
  constexpr std::string_view kBearer = "Bearer ";
  if (header.size() <= kBearer.size() || header.compare(0, kBearer.size(), kBearer) != 0) return Credential::Missing;
  return constant_time_equals(config_.token, std::string_view(header).substr(kBearer.size())) ? Credential::Accepted
                                                                                             : Credential::Wrong;
}

HttpResponse HttpPolicy::token_refusal(Credential credential) {
  auto r = HttpResponse::error(
      401, credential == Credential::Missing
               ? "authentication required: send the header 'Authorization: Bearer <the broker's token>'"
               : "invalid token in the Authorization header: send 'Authorization: Bearer <the broker's token>'");
  r.headers.emplace_back("WWW-Authenticate", "Bearer");
  return r;
}

std::optional<HttpResponse> HttpPolicy::check_token(const HttpRequest& request) const {
  const Credential credential = bearer_credential(request);
  if (credential == Credential::Accepted) return std::nullopt;
  return token_refusal(credential);
}

std::optional<HttpResponse> HttpPolicy::check_json_body(const HttpRequest& request) {
  const std::string& m = request.method;
  if (m != "POST" && m != "PUT" && m != "PATCH" && m != "DELETE") return std::nullopt;
  if (request.body.empty()) return std::nullopt;
  const std::string type = request.header("content-type");
  std::string media = ascii_lower(type.substr(0, type.find(';')));
  media.erase(media.find_last_not_of(" \t") + 1);
  media.erase(0, media.find_first_not_of(" \t"));
  const bool json = media == "application/json" ||
                    (media.size() > 5 && media.compare(0, 12, "application/") == 0 &&
                     media.compare(media.size() - 5, 5, "+json") == 0);
  if (json) return std::nullopt;
  return HttpResponse::error(415, m + " " + request.path + " takes a JSON body: send it with the header "
                                  "'Content-Type: application/json' (got " +
                                  (type.empty() ? std::string("none") : quoted(type)) + ")");
}

std::optional<HttpResponse> HttpPolicy::check_text(const HttpRequest& request) {
  auto refuse = [](const std::string& what) {
    return HttpResponse::error(400, what + " is not valid UTF-8: send text as UTF-8 (percent-encode it in URLs)");
  };
  for (const auto& [name, value] : request.headers)
    if (!is_valid_utf8(name) || !is_valid_utf8(value)) return refuse("the header " + quoted(name));
  for (const auto& [name, value] : request.path_params)
    if (!is_valid_utf8(value)) return refuse("the path segment {" + name + "}");
  std::size_t start = 0;
  while (start < request.query.size()) {
    const std::size_t end = std::min(request.query.find('&', start), request.query.size());
    if (!is_valid_utf8(HttpRequest::decode(request.query.substr(start, end - start))))
      return refuse("the query parameter " + quoted(request.query.substr(start, std::min<std::size_t>(end - start, 40))));
    start = end + 1;
  }
  return std::nullopt;
}

Credential HttpPolicy::client_credential(const nlohmann::json& auth) const {
  if (config_.token.empty()) return Credential::Accepted;
  const auto it = auth.is_object() ? auth.find("token") : auth.end();
  if (!auth.is_object() || it == auth.end() || !it->is_string()) return Credential::Missing;
  return constant_time_equals(config_.token, it->get_ref<const std::string&>()) ? Credential::Accepted
                                                                                : Credential::Wrong;
}

std::string HttpPolicy::client_refusal(Credential credential) {
  return credential == Credential::Missing
             ? "authentication required: connect with auth {\"token\": \"<the broker's token>\"}"
             : "invalid token: connect with auth {\"token\": \"<the broker's token>\"}";
}

std::string HttpPolicy::check_client_auth(const nlohmann::json& auth) const {
  const Credential credential = client_credential(auth);
  return credential == Credential::Accepted ? std::string() : client_refusal(credential);
}

void HttpPolicy::add_cors_headers(const HttpRequest& request, HttpResponse& response) const {
  const std::string origin = request.header("origin");
  if (origin_allowed(request, origin)) {
    response.headers.emplace_back("Access-Control-Allow-Origin", origin);
    response.headers.emplace_back("Access-Control-Allow-Credentials", "true");
  }
  response.headers.emplace_back("Vary", "Origin");
}

HttpResponse HttpPolicy::preflight(const HttpRequest& request) const {
  HttpResponse r;
  r.status = 204;
  r.content_type.clear();
  const std::string origin = request.header("origin");
  if (origin_allowed(request, origin)) {
    r.headers.emplace_back("Access-Control-Allow-Origin", origin);
    r.headers.emplace_back("Access-Control-Allow-Credentials", "true");
  }
  r.headers.emplace_back("Vary", "Origin, Access-Control-Request-Headers");
  r.headers.emplace_back("Access-Control-Allow-Methods", "GET,HEAD,PUT,PATCH,POST,DELETE");
  const std::string wanted = request.header("access-control-request-headers");
  if (!wanted.empty()) r.headers.emplace_back("Access-Control-Allow-Headers", wanted);
  r.headers.emplace_back("Access-Control-Max-Age", "600");
  return r;
}

}  // namespace hookbroker::core
