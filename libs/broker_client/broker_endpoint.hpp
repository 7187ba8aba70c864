// Where the broker listens, as the companion tools (hook forwarder, doctor,
// install-hooks, monitor) and the tests see it.
//
// The tools read the same settings the broker reads, in the same order, so a
// user configures the port once: the config file ($HOOKBROKER_CONFIG, else
// $XDG_CONFIG_HOME/hookbroker/config.json, else ~/.config/hookbroker/config.json;
// keys host, port, token, state_dir), then HOOKBROKER_HOST / _PORT / _TOKEN /
// _STATE_DIR, then HOOKBROKER_URL (tools only; wins over everything).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "platform/env_lookup.hpp"

namespace hookbroker::broker_client {

struct BrokerEndpoint {
  std::string host = "127.0.0.1";  ///< address to connect to (a wildcard bind address is mapped to loopback)
  uint16_t port = 8765;
  std::string base_path;   ///< path prefix before /api/..., "" normally
  std::string token;       ///< sent as Authorization: Bearer when not empty
  std::string state_dir;   ///< the broker's state directory (spool lives in state_dir/spool)
  std::string spool_dir;   ///< HOOKBROKER_SPOOL_DIR, else state_dir/spool
  std::string hook_log;    ///< the forwarder's log: HOOKBROKER_HOOK_LOG, else state_dir/hook.log
  std::string config_file; ///< the config file that was read, "" when none
  std::string origin;      ///< where host/port came from, for diagnostics
  /// Settings that could not be used (unreadable config file, bad URL); the
  /// defaults were kept for them. Empty when everything was fine.
  std::string problems;

  /// "http://host:port" (IPv6 hosts in brackets), for messages and URLs.
  std::string base_url() const;
};

/// Points `e` at `url`, "http://HOST[:PORT][/PATH]" (port 80 when left out;
/// a trailing /api/events is dropped so an http hook entry's URL works too;
/// a query is ignored). Returns "" on success, else what is wrong with `url`
/// (libs/http_client's wording), leaving `e` unchanged.
std::string apply_broker_url(BrokerEndpoint& e, std::string_view url);

/// Resolves the endpoint from config file and environment. Never throws;
/// problems are collected in BrokerEndpoint::problems.
BrokerEndpoint resolve_broker_endpoint(const platform::EnvLookup& env);

}  // namespace hookbroker::broker_client
