// transport_socketio: the default transport. One port serves Engine.IO v4 /
// Socket.IO v5 (polling and WebSocket), the HTTP API and the dashboard.
//
// Threads: the HTTP front runs its connections on the core's io_context
// threads and hands requests to the plugin's strand, where all state lives;
// WebSocket connections live on that strand themselves (ws_connection.hpp).
#include <memory>
#include <stdexcept>

#include "hookbroker/hookbroker.hpp"
#include "options.hpp"
#include "port_probe.hpp"
#include "socketio_service.hpp"
#include "strands/run_in_order.hpp"
#include "transport_server.hpp"

namespace hookbroker::sio {
namespace {

// How long the owner of a taken port gets to answer GET /health.
constexpr std::chrono::milliseconds kPortProbeTimeout{2000};

std::string url_host(const std::string& host) {
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

}  // namespace

class TransportSocketIo final : public Plugin, public Transport, public HeartbeatContributor {
 public:
  TransportSocketIo(HostApi& host, const nlohmann::json& config)
      : host_(host),
        options_(Options::from_json(config, host.settings().data_dir)),
        service_(std::make_shared<SocketIoService>(host, options_)) {}

  ~TransportSocketIo() override { stop(); }


  /// What only the transport knows (slow clients cut off, HTTP answers by
  /// route and code, clients by transport), under its key `socketio`.
  nlohmann::json contribute() override { return {{"socketio", service_->heartbeat()}}; }

  void start() override {
    service_->router().add_routes();
    server_ = std::make_unique<TransportServer>(host_.io_context(), host_.strand(), callbacks(), limits());
    const HostSettings& s = host_.settings();
    const boost::system::error_code ec = server_->listen(s.host, s.port);
    if (ec == boost::asio::error::address_in_use) {
      HostApi* host = &host_;
      describe_port_owner(host_.io_context(), s.host, s.port, kPortProbeTimeout,
                          [host](std::string message) { host->fatal(3, message); });
      return;
    }
    if (ec)
      throw std::runtime_error("cannot listen on " + s.host + ":" + std::to_string(s.port) + ": " +
                               ec.message());
    host_.transport_host()->report_listening_port(server_->port());
    host_.info("listening on http://" + url_host(s.host) + ":" + std::to_string(server_->port()));
    host_.debug("limits: " + std::to_string(options_.max_connections) + " connections (open-file limit " +
                std::to_string(open_file_limit()) + "), " + std::to_string(options_.max_sessions) +
                " Socket.IO sessions, " + std::to_string(options_.max_pending_sessions) + " of them not joined yet");
  }

  void stop() override {
    if (stopped_) return;
    stopped_ = true;
    if (server_) server_->stop();
    service_->engine().close_all();
  }

  void broadcast(const Broadcast& message) override {
    if (message.payload) service_->engine().broadcast(message.channel, *message.payload);
  }

  std::size_t connected_clients() const override { return service_->engine().connected_clients(); }

 private:
  TransportServer::Limits limits() const {
    TransportServer::Limits l;
    l.max_message_bytes = options_.max_payload;
    // Bodies up to twice the larger limit are read, so the routes can answer
    // 413 with a JSON reason; beyond that the HTTP front refuses them itself.
    l.front.max_body_bytes = 2 * std::max(options_.max_payload, options_.max_body_bytes);
    l.front.max_head_bytes = options_.max_header_bytes;
    l.front.idle_timeout = options_.keepalive_timeout;
    l.front.request_timeout = options_.request_timeout;
    l.front.max_requests = options_.max_requests_per_connection;
    l.max_connections = options_.max_connections;
    TransportHost* core = host_.transport_host();
    l.front.route_body_limit = [core](const std::string& method, const std::string& path) {
      return core->max_body_bytes(method, path);
    };
    l.log_interval = options_.limit_log_interval;
    return l;
  }

  TransportServer::Callbacks callbacks() {
    std::weak_ptr<SocketIoService> weak = service_;
    Strand* strand = &host_.strand();
    TransportServer::Callbacks cb;
    // From the front's thread: at once when the strand is free, so a POST
    // goes through the core and back on the thread that parsed it.
    cb.on_http = [weak, strand](HttpRequest request, HttpReply reply) {
      strands::run_in_order(*strand, [weak, request = std::move(request), reply = std::move(reply)] {
        auto service = weak.lock();
        if (!service) return reply(HttpResponse::error(503, "the broker is shutting down"));
        try {
          service->router().handle(request, reply);
        } catch (const std::exception& e) {
          // A bug, not bad input: answer (a second answer is ignored) and
          // let the core log it.
          reply(HttpResponse::error(500, std::string("internal error: ") + e.what()));
          throw;
        }
      });
    };
    TransportHost* core = host_.transport_host();
    cb.check_upgrade = [weak, core](const HttpRequest& request) -> std::optional<HttpResponse> {
      auto engine_refusal = [](EngineError error) {
        HttpResponse r;
        r.status = 400;
        r.content_type = "text/html";
        r.body = engine_error_message(error);
        return r;
      };
      auto service = weak.lock();
      if (!service) return engine_refusal(EngineError::BadRequest);
      // Counted here: an accepted or refused upgrade never reaches the router.
      const std::string route = service->router().route_label(request.method, request.path);
      if (auto refused = core->check_upgrade(request)) {
        service->http_counts().add(request.method, route, refused->status);
        return refused;
      }
      std::optional<EngineError> error;
      if (!service->engine().owns_path(request.path))
        error = EngineError::BadRequest;
      else
        error = service->engine().check_upgrade(request);
      if (error) {
        service->http_counts().add(request.method, route, 400);
        return engine_refusal(*error);
      }
      // Last, so that nothing refuses the upgrade once its place is reserved
      // (on_upgrade_failed gives it back if the handshake fails after all).
      if (request.query_param("sid").empty()) {
        if (auto full = service->engine().reserve_session()) {
          service->http_counts().add(request.method, route, full->status);
          return full;
        }
      }
      service->http_counts().add(request.method, route, 101);
      return std::nullopt;
    };
    cb.on_open = [weak](std::shared_ptr<WsLink> link, HttpRequest request) {
      if (auto service = weak.lock())
        service->engine().handle_ws_open(link, request);
      else
        link->close();
    };
    cb.on_upgrade_failed = [weak](const HttpRequest& request) {
      if (auto service = weak.lock(); service && request.query_param("sid").empty())
        service->engine().cancel_reservation();
    };
    cb.on_message = [weak](std::shared_ptr<WsLink> link, std::string payload, bool binary) {
      auto service = weak.lock();
      if (!service) return;
      try {
        service->engine().handle_ws_frame(*link, std::move(payload), binary);
      } catch (const std::exception&) {
        link->close();  // a bug, not bad input: drop this connection; the core logs it
        throw;
      }
    };
    cb.on_close = [weak](std::shared_ptr<WsLink> link) {
      if (auto service = weak.lock()) service->engine().handle_ws_closed(*link);
    };
    HostApi* host = &host_;
    cb.warn = [host](const std::string& message) { host->warn(message); };
    cb.info = [host](const std::string& message) { host->info(message); };
    return cb;
  }

  HostApi& host_;
  Options options_;
  std::shared_ptr<SocketIoService> service_;
  std::unique_ptr<TransportServer> server_;
  bool stopped_ = false;
};

}  // namespace hookbroker::sio

HOOKBROKER_PLUGIN(hookbroker::sio::TransportSocketIo, [] {
  hookbroker::PluginInfo info;
  info.name = "transport_socketio";
  info.version = "1.0.0";
  info.description =
      "Socket.IO v5 / Engine.IO v4 server (polling and WebSocket), the HTTP API and the dashboard on one "
      "port";
  info.heartbeat_keys = "socketio";
  info.options = hookbroker::sio::option_table();
  return info;
}())
