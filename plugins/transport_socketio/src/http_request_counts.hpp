// How many HTTP requests the transport answered, by method, route and status
// code: the heartbeat's `socketio.http_requests`, which metrics_prometheus
// turns into hookbroker_http_requests_total. Every label is bounded, since a
// Prometheus series lives forever: the route is the pattern a request matched
// (never its raw path), and a method outside the standard ones is "other".
//
// Thread-safe: replies are sent from any thread (plugin routes answer on their
// own strands, WebSocket handshakes are checked on the connections' threads).
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <tuple>

namespace hookbroker::sio {

/// The method as a label: GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS, or
/// "other".
std::string_view method_label(std::string_view method);

/// The route label of a path nothing in particular matched.
inline constexpr std::string_view kOtherRoute = "other";

class HttpRequestCounts {
 public:
  void add(std::string_view method, std::string_view route, int code);
  /// [{method, route, code, count}], ordered by method, route, code.
  nlohmann::json to_json() const;

 private:
  using Key = std::tuple<std::string, std::string, int>;
  mutable std::mutex mutex_;
  std::map<Key, std::uint64_t, std::less<>> counts_;
};

}  // namespace hookbroker::sio
