#include "broker_client/broker_endpoint.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <string_view>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "http_client/http_url.hpp"
#include "platform/user_dirs.hpp"

namespace hookbroker::broker_client {
namespace {

using platform::EnvLookup;
using platform::non_empty;

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

std::string apply_broker_url(BrokerEndpoint& e, std::string_view url) {
  http_client::HttpUrl parsed;
  if (std::string error = http_client::parse_http_url(url, parsed); !error.empty()) return error;
  std::string path = parsed.target;
  if (const auto q = path.find('?'); q != std::string::npos) path.erase(q);
  constexpr std::string_view events = "/api/events";
  if (path.size() >= events.size() && path.compare(path.size() - events.size(), events.size(), events) == 0)
    path.erase(path.size() - events.size());
  while (!path.empty() && path.back() == '/') path.pop_back();
  e.host = connectable_host(parsed.host);
  e.port = parsed.port;
  e.base_path = path;
  return {};
}

std::string BrokerEndpoint::base_url() const {
  return "http://" + http_client::authority(host, port) + base_path;
}

BrokerEndpoint resolve_broker_endpoint(const EnvLookup& env) {
  BrokerEndpoint e;
  e.origin = "default";
  if (const char* explicit_config = non_empty(env, "HOOKBROKER_CONFIG"))
    apply_config_file(e, explicit_config, /*must_exist=*/true);
  else
    apply_config_file(e, platform::default_config_path(env), /*must_exist=*/false);

  if (const char* host = non_empty(env, "HOOKBROKER_HOST")) {
    e.host = connectable_host(host);
    e.origin = "HOOKBROKER_HOST";
  }
  if (const char* port = non_empty(env, "HOOKBROKER_PORT")) {
    uint16_t value = 0;
    if (http_client::parse_port(port, value)) {
      e.port = value;
      e.origin = "HOOKBROKER_PORT";
    } else {
      add_problem(e, std::string("HOOKBROKER_PORT=") + port + " is not a port number 1-65535");
    }
  }
  if (const char* token = env("HOOKBROKER_TOKEN")) e.token = token;
  if (const char* dir = non_empty(env, "HOOKBROKER_STATE_DIR")) e.state_dir = dir;
  if (const char* url = non_empty(env, "HOOKBROKER_URL")) {
    if (const std::string error = apply_broker_url(e, url); error.empty())
      e.origin = "HOOKBROKER_URL";
    else
      add_problem(e, std::string("HOOKBROKER_URL=") + url + " " + error);
  }
  if (e.state_dir.empty()) e.state_dir = platform::default_state_dir(env);
  const char* spool = non_empty(env, "HOOKBROKER_SPOOL_DIR");
  e.spool_dir = spool ? spool : e.state_dir + "/spool";
  const char* hook_log = non_empty(env, "HOOKBROKER_HOOK_LOG");
  e.hook_log = hook_log ? hook_log : e.state_dir + "/hook.log";
  return e;
}

}  // namespace hookbroker::broker_client
