#include "common/broker_endpoint.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

namespace hookbroker::tools {
namespace {

const char* non_empty(const EnvLookup& env, const char* name) {
  const char* value = env(name);
  return value && *value ? value : nullptr;
}

void add_problem(BrokerEndpoint& e, const std::string& text) {
  if (!e.problems.empty()) e.problems += "; ";
  e.problems += text;
}

/// Reads a small file with plain POSIX calls (no iostreams: this runs in the
/// hook forwarder on every hook). Returns false with errno set on failure.
bool read_small_file(const std::string& path, std::string& out) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int saved = errno;
      ::close(fd);
      errno = saved;
      return false;
    }
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
    if (out.size() > (1u << 20)) break;  // a config file is small; do not read a huge one whole
  }
  ::close(fd);
  return true;
}

/// A bind address that means "all interfaces" is reached through loopback;
/// "localhost" is mapped here because the forwarder does no name lookups.
std::string connectable_host(const std::string& host) {
  if (host.empty() || host == "0.0.0.0" || host == "localhost") return "127.0.0.1";
  if (host == "::" || host == "[::]") return "::1";
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') return host.substr(1, host.size() - 2);
  return host;
}

bool parse_port(std::string_view text, uint16_t& port) {
  if (text.empty() || text.size() > 5) return false;
  unsigned long value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<unsigned long>(c - '0');
  }
  if (value == 0 || value > 65535) return false;
  port = static_cast<uint16_t>(value);
  return true;
}

void apply_config_file(BrokerEndpoint& e, const std::string& path, bool must_exist) {
  std::string text;
  if (!read_small_file(path, text)) {
    if (errno != ENOENT || must_exist)
      add_problem(e, "cannot read config file " + path + ": " + std::strerror(errno));
    return;
  }
  const auto config = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (config.is_discarded() || !config.is_object()) {
    add_problem(e, "config file " + path + " is not a JSON object; using defaults");
    return;
  }
  e.config_file = path;
  if (auto it = config.find("host"); it != config.end() && it->is_string()) {
    e.host = connectable_host(it->get<std::string>());
    e.origin = "config file " + path;
  }
  if (auto it = config.find("port"); it != config.end()) {
    if (it->is_number_integer() && it->get<long long>() > 0 && it->get<long long>() <= 65535) {
      e.port = static_cast<uint16_t>(it->get<long long>());
      e.origin = "config file " + path;
    } else if (!(it->is_number_integer() && it->get<long long>() == 0)) {
      add_problem(e, "config file " + path + ": \"port\" must be 1-65535");
    }
    // port 0 means "the broker picks one": nothing a client can connect to,
    // so the default stays.
  }
  if (auto it = config.find("token"); it != config.end() && it->is_string()) e.token = it->get<std::string>();
  if (auto it = config.find("state_dir"); it != config.end() && it->is_string() && !it->get<std::string>().empty())
    e.state_dir = it->get<std::string>();
}

}  // namespace

bool apply_broker_url(BrokerEndpoint& e, std::string_view url) {
  constexpr std::string_view scheme = "http://";
  if (url.substr(0, scheme.size()) != scheme) return false;
  url.remove_prefix(scheme.size());
  const std::size_t slash = url.find('/');
  std::string_view authority = url.substr(0, slash);
  std::string path = slash == std::string_view::npos ? std::string() : std::string(url.substr(slash));
  if (const auto q = path.find_first_of("?#"); q != std::string::npos) path.erase(q);
  constexpr std::string_view events = "/api/events";
  if (path.size() >= events.size() && path.compare(path.size() - events.size(), events.size(), events) == 0)
    path.erase(path.size() - events.size());
  while (!path.empty() && path.back() == '/') path.pop_back();

  std::string host;
  uint16_t port = 80;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return false;
    host = std::string(authority.substr(1, close - 1));
    const auto rest = authority.substr(close + 1);
    if (!rest.empty() && (rest.front() != ':' || !parse_port(rest.substr(1), port))) return false;
  } else {
    const auto colon = authority.rfind(':');
    host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos && !parse_port(authority.substr(colon + 1), port)) return false;
  }
  if (host.empty()) return false;
  e.host = connectable_host(host);
  e.port = port;
  e.base_path = path;
  return true;
}

EnvLookup process_env() {
  return [](const char* name) -> const char* { return std::getenv(name); };
}

std::string BrokerEndpoint::base_url() const {
  const bool v6 = host.find(':') != std::string::npos;
  return "http://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port) + base_path;
}

std::string default_config_path(const EnvLookup& env) {
  if (const char* xdg = non_empty(env, "XDG_CONFIG_HOME")) return std::string(xdg) + "/hookbroker/config.json";
  const char* home = env("HOME");
  return std::string(home ? home : "") + "/.config/hookbroker/config.json";
}

std::string default_state_dir(const EnvLookup& env) {
  if (const char* xdg = non_empty(env, "XDG_STATE_HOME")) return std::string(xdg) + "/hookbroker";
  const char* home = env("HOME");
  return std::string(home ? home : "") + "/.local/state/hookbroker";
}

BrokerEndpoint resolve_broker_endpoint(const EnvLookup& env) {
  BrokerEndpoint e;
  e.origin = "default";
  if (const char* explicit_config = non_empty(env, "HOOKBROKER_CONFIG"))
    apply_config_file(e, explicit_config, /*must_exist=*/true);
  else
    apply_config_file(e, default_config_path(env), /*must_exist=*/false);

  if (const char* host = non_empty(env, "HOOKBROKER_HOST")) {
    e.host = connectable_host(host);
    e.origin = "HOOKBROKER_HOST";
  }
  if (const char* port = non_empty(env, "HOOKBROKER_PORT")) {
    uint16_t value = 0;
    if (parse_port(port, value)) {
      e.port = value;
      e.origin = "HOOKBROKER_PORT";
    } else {
      add_problem(e, std::string("HOOKBROKER_PORT=") + port + " is not a port number 1-65535");
    }
  }
  if (const char* token = env("HOOKBROKER_TOKEN")) e.token = token;
  if (const char* dir = non_empty(env, "HOOKBROKER_STATE_DIR")) e.state_dir = dir;
  if (const char* url = non_empty(env, "HOOKBROKER_URL")) {
    if (apply_broker_url(e, url))
      e.origin = "HOOKBROKER_URL";
    else
      add_problem(e, std::string("HOOKBROKER_URL=") + url + " is not http://HOST[:PORT][/PATH]");
  }
  if (e.state_dir.empty()) e.state_dir = default_state_dir(env);
  const char* spool = non_empty(env, "HOOKBROKER_SPOOL_DIR");
  e.spool_dir = spool ? spool : e.state_dir + "/spool";
  return e;
}

}  // namespace hookbroker::tools
