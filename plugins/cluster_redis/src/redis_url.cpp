#include "redis_url.hpp"

#include <cctype>

namespace hookbroker::cluster {

namespace {

constexpr const char* kExample =
    " (expected redis://[[user]:password@]host[:port][/db], e.g. redis://127.0.0.1:6379/0, or rediss:// for TLS)";

RedisUrlParse fail(const std::string& what) { return {std::nullopt, what + kExample}; }

bool all_digits(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

/// %XX escapes in the user info (a password may hold '@' or ':').
std::optional<std::string> percent_decoded(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size() || !std::isxdigit(static_cast<unsigned char>(s[i + 1])) ||
        !std::isxdigit(static_cast<unsigned char>(s[i + 2])))
      return std::nullopt;
    out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
    i += 2;
  }
  return out;
}

}  // namespace

std::string RedisEndpoint::display() const {
  return host + ":" + std::to_string(port) + "/" + std::to_string(database);
}

std::string RedisEndpoint::url() const { return (tls ? "rediss://" : "redis://") + display(); }

RedisUrlParse parse_redis_url(const std::string& url) {
  RedisEndpoint e;
  std::string rest;
  if (url.rfind("redis://", 0) == 0) {
    rest = url.substr(8);
  } else if (url.rfind("rediss://", 0) == 0) {
    rest = url.substr(9);
    e.tls = true;
  } else {
    return fail("\"" + url.substr(0, 64) + "\" does not start with redis:// or rediss://");
  }
  if (const auto at = rest.rfind('@'); at != std::string::npos) {
    const std::string userinfo = rest.substr(0, at);
    rest = rest.substr(at + 1);
    const auto colon = userinfo.find(':');
    auto user = percent_decoded(userinfo.substr(0, colon));
    auto password = percent_decoded(colon == std::string::npos ? std::string() : userinfo.substr(colon + 1));
    if (!user || !password) return fail("a bad %-escape in the user or password");
    if (colon == std::string::npos) {
      e.password = *user;  // redis://secret@host: the password alone, as redis-cli reads it
    } else {
      e.username = *user;
      e.password = *password;
    }
  }
  std::string db;
  if (const auto slash = rest.find('/'); slash != std::string::npos) {
    db = rest.substr(slash + 1);
    rest = rest.substr(0, slash);
  }
  if (!db.empty()) {
    if (!all_digits(db) || db.size() > 5) return fail("the database \"" + db.substr(0, 16) + "\" is not a number");
    e.database = std::stoi(db);
  }
  std::string port;
  if (!rest.empty() && rest.front() == '[') {
    const auto close = rest.find(']');
    if (close == std::string::npos) return fail("an IPv6 address without its closing ]");
    e.host = rest.substr(1, close - 1);
    if (close + 1 < rest.size()) {
      if (rest[close + 1] != ':') return fail("unexpected text after the IPv6 address");
      port = rest.substr(close + 2);
    }
  } else if (const auto colon = rest.rfind(':'); colon != std::string::npos) {
    e.host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
  } else {
    e.host = rest;
  }
  if (e.host.empty()) return fail("no host");
  if (!port.empty()) {
    if (!all_digits(port) || port.size() > 5 || std::stoi(port) < 1 || std::stoi(port) > 65535)
      return fail("the port \"" + port.substr(0, 16) + "\" is not 1..65535");
    e.port = static_cast<std::uint16_t>(std::stoi(port));
  }
  return {e, {}};
}

}  // namespace hookbroker::cluster
