// A heartbeat as a person wants to read it in a terminal: one line of totals,
// one line per session, the cluster's nodes, then anything that went wrong in
// plugins.
//
//   12:00:01 up 1h02m  clients 3  events 1234  sessions 2
//     4f1c2a9e  pm          active     working            last activity 12 s ago
//     9b0d77e1  engineer    delegated  working            subagents engineer (running), qa  last activity 2 s ago
//     plugin error: sysmetrics: missed the 250 ms deadline; skipped this tick
//
// Pure: the caller passes the current time, so output is reproducible.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "monitor_text.hpp"

namespace hookbroker::monitor {

/// True for a `system_event` payload that is a heartbeat
/// ({"type":"system","event":"heartbeat",...}).
bool is_heartbeat(const nlohmann::json& payload);

/// The summary of a heartbeat payload (the whole system_event object), lines
/// ending in '\n'. Missing or odd fields are left out rather than failing:
/// a heartbeat from an older or differently configured broker still shows.
std::string format_heartbeat(const nlohmann::json& heartbeat, SystemTime now);

/// The heartbeat's `cluster` key (cluster_redis): this node and Redis, then
/// one line per node.
///   cluster: node n1, redis connected 0.4 ms
///     node n1 (this)         up    127.0.0.1:8765  clients 2  events 40  seen 1 s ago
std::string format_cluster(const nlohmann::json& cluster, SystemTime now);

/// One session of `active_sessions` as its indented line (with '\n').
std::string format_session_line(const nlohmann::json& session, SystemTime now);

}  // namespace hookbroker::monitor
