// hookbroker SDK — HostApi: the only door from a plugin into the core.
//
// Each plugin gets its own HostApi object: log lines are tagged with the
// plugin's name, strand() is the plugin's own. Plugins never include core
// headers. The object outlives the plugin.
//
// ABI: within a major version, functions are only ever appended to this
// class (see abi.hpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <nlohmann/json.hpp>

#include "hookbroker/clients.hpp"
#include "hookbroker/event.hpp"
#include "hookbroker/history_query.hpp"
#include "hookbroker/http.hpp"
#include "hookbroker/transport.hpp"

namespace hookbroker {

class SessionTracker;

enum class LogLevel { Trace, Debug, Info, Warn, Error };

/// Broker-wide settings a plugin may need (read-only).
struct HostSettings {
  std::string version;                ///< broker version, e.g. "0.1.0"
  std::string host;                   ///< address transports bind, default 127.0.0.1
  uint16_t port = 8765;               ///< port transports bind (0 = pick a free one)
  double heartbeat_interval_s = 60;   ///< seconds between heartbeats
  std::string state_dir;              ///< where plugins may keep files (spool, databases)
  std::string data_dir;               ///< read-only shared data (share/hookbroker: dashboard)
};

/// Numbers the core keeps; cheap to read from any thread.
struct Counters {
  double uptime_seconds = 0;
  std::uint64_t total_events = 0;
  std::size_t connected_clients = 0;  ///< sum over transports
  std::size_t sessions = 0;           ///< tracker size, 0 without a tracker
};

using Strand = boost::asio::strand<boost::asio::io_context::executor_type>;
using IngestDone = std::function<void(IngestResult)>;

/// ABI 3.1. Changes a broadcast before it is stored (history, event sinks)
/// and sent: `channel` is its Socket.IO event name ("claude_event",
/// "system_event"), `message` the event or heartbeat as clients get it. Runs
/// for every broadcast on the core's thread that makes it (the event bus,
/// the heartbeat), not on the registering plugin's strand: it must be fast,
/// must not block, and may read only what is safe to read from any thread
/// (best: a pure function of its arguments).
using BroadcastFilter = std::function<void(std::string& channel, nlohmann::json& message)>;
/// ABI 3.1. Changes the status object (GET /health, the `status` a client
/// gets on connect, get_status) before it is answered; same rules as
/// BroadcastFilter. The core sets "implementation": "hookbroker" after the
/// filters, so its own tools still know the broker whatever else they change.
using StatusFilter = std::function<void(nlohmann::json& status)>;

class HostApi {
 public:
  virtual ~HostApi() = default;

  // ---- identity and settings -------------------------------------------
  virtual const std::string& plugin_name() const = 0;
  virtual const HostSettings& settings() const = 0;

  // ---- logging (through the core's logger, tagged with the plugin name) --
  virtual void log(LogLevel level, const std::string& message) = 0;

  // ---- execution ------------------------------------------------------------
  /// The core's io_context, run by the core's worker threads.
  virtual boost::asio::io_context& io_context() = 0;
  /// This plugin's strand: the core calls the plugin only through it, so the
  /// plugin's own handlers never run concurrently with each other if they
  /// also post through it.
  virtual Strand& strand() = 0;
  /// Runs blocking work (disk, DNS, sleeps) on a thread outside the event loop.
  virtual void run_blocking(std::function<void()> work) = 0;

  // ---- events -----------------------------------------------------------------
  /// Ingest an event as received from outside (any JSON form a hook handler
  /// understands, or the generic {type, subtype?, data?} form). `done` is
  /// called exactly once, from any thread, when the event is accepted (after
  /// every EventSink made it durable), recognised as a duplicate, or rejected.
  virtual void ingest(nlohmann::json raw, IngestContext context, IngestDone done) = 0;
  /// Broadcast an event the plugin produced itself (an alert, a notice); it
  /// goes into history but does not count in total_events.
  virtual void publish(Event event) = 0;
  /// One page of the core's history ring for `query`, in HistoryQuery's page
  /// shape {"events" (oldest first), "count", "next_cursor", "source": "memory"}.
  virtual nlohmann::json history(const HistoryQuery& query) const = 0;
  virtual Counters counters() const = 0;
  /// The server status object clients get on connect and from get_status.
  virtual nlohmann::json status() const = 0;

  // ---- services ---------------------------------------------------------------
  /// The loaded session tracker, or nullptr when none is loaded.
  virtual SessionTracker* sessions() = 0;
  /// The core's side of transports (HTTP policy, client requests, presence):
  /// non-null only for a plugin that provides a Transport.
  virtual TransportHost* transport_host() = 0;

  // ---- HTTP routes and client requests -------------------------------------
  /// Adds a route on the broker's port (see http.hpp for paths, access and
  /// the policy the core applies before the handler runs). False when
  /// another plugin has that method and path.
  virtual bool add_http_route(const HttpRoute& route, HttpHandler handler) = 0;
  /// Adds a named client request (e.g. "client_heartbeat"). False when taken.
  virtual bool add_client_request(const std::string& name, ClientRequestHandler handler) = 0;
  /// Be told about clients arriving and leaving.
  virtual void add_client_observer(ClientObserver observer) = 0;

  /// Ask the broker to shut down in order and exit with `exit_code`, logging
  /// `reason` (e.g. a transport that cannot bind its port: exit code 3).
  virtual void fatal(int exit_code, const std::string& reason) = 0;

  // ---- ABI 3.1: shaping what clients get (compatibility plugins) ----------
  // Each applies from the moment it is added until the plugin stops, in the
  // order plugins added them.
  /// Greets every client that connects from now on (see ClientGreeting).
  virtual void add_client_greeting(ClientGreeting greeting) = 0;
  /// Applies `filter` to every broadcast (see BroadcastFilter).
  virtual void add_broadcast_filter(BroadcastFilter filter) = 0;
  /// Applies `filter` to the status object (see StatusFilter).
  virtual void add_status_filter(StatusFilter filter) = 0;

  // ---- ABI 3.2 -----------------------------------------------------------------
  /// add_http_route for a route whose request bodies may be larger (or must
  /// be smaller) than the transport's own limit: bodies up to
  /// `max_body_bytes` reach the handler, a larger one is answered 413 with
  /// the limit and the route in the message (a transport asks
  /// TransportHost::max_body_bytes before reading a body, and refuses one
  /// far over it unread).
  /// 0 keeps the transport's limit.
  virtual bool add_http_route_with_body_limit(const HttpRoute& route, std::size_t max_body_bytes,
                                              HttpHandler handler) = 0;

  // clusters (3.2)
  /// Ingests an event another broker of a cluster accepted, as that broker's
  /// clients got it (its broadcast JSON, or any form ingest() takes), from
  /// `node`. It goes the way of a local event — the hook handlers (so the
  /// session tracker applies it with the same code), the event-id ledger,
  /// history, the event sinks, the broadcast — with three differences: it does
  /// not count in total_events (it is not a local ingest); the event carries
  /// "node": `node` and "from_cluster": true, so an event sink that forwards
  /// events to the cluster (cluster_redis) can leave it alone; and handlers
  /// see context.received_at as the time the origin received it.
  virtual void ingest_from_node(nlohmann::json event, IngestContext context, std::string node,
                                IngestDone done) = 0;
  /// Sends `payload` to every client of every transport as the Socket.IO
  /// event `channel`, after the broadcast filters: not an event of the broker
  /// (not counted, not in history, not offered to sinks or handlers). What a
  /// Socket.IO adapter's broadcast is (cluster_redis: packets a Node
  /// process publishes with @socket.io/redis-emitter).
  virtual void broadcast(const std::string& channel, const nlohmann::json& payload) = 0;

  // ---- conveniences (not virtual) ---------------------------------------------
  /// A route that needs the token and takes JSON bodies (the common case).
  bool add_http_route(const std::string& method, const std::string& path, HttpHandler handler) {
    return add_http_route(HttpRoute{method, path, RouteAccess::Token, RouteBody::Json}, std::move(handler));
  }
  void debug(const std::string& m) { log(LogLevel::Debug, m); }
  void info(const std::string& m) { log(LogLevel::Info, m); }
  void warn(const std::string& m) { log(LogLevel::Warn, m); }
  void error(const std::string& m) { log(LogLevel::Error, m); }
};

}  // namespace hookbroker
