#include "runtime/plugin_host.hpp"

#include <boost/asio/defer.hpp>
#include <boost/asio/strand.hpp>

#include "runtime/broker.hpp"

namespace hookbroker::core {

PluginHost::PluginHost(Broker& broker, std::string plugin, bool transport)
    : broker_(broker),
      plugin_(std::move(plugin)),
      transport_(transport),
      strand_(boost::asio::make_strand(broker.io())),
      log_(broker.plugin_logger(plugin_)) {}

const HostSettings& PluginHost::settings() const { return broker_.host_settings(); }

void PluginHost::log(LogLevel level, const std::string& message) {
  static const spdlog::level::level_enum levels[] = {spdlog::level::trace, spdlog::level::debug,
                                                     spdlog::level::info, spdlog::level::warn,
                                                     spdlog::level::err};
  const auto index = static_cast<std::size_t>(level);
  log_->log(index < 5 ? levels[index] : spdlog::level::info, message);
}

boost::asio::io_context& PluginHost::io_context() { return broker_.io(); }
void PluginHost::run_blocking(std::function<void()> work) { broker_.run_blocking(std::move(work)); }

void PluginHost::ingest(nlohmann::json raw, IngestContext context, IngestDone done) {
  broker_.bus().ingest(std::move(raw), std::move(context), std::move(done));
}

// The events a plugin hands in during one turn of its strand (cluster_redis:
// the entries of one XREAD reply) go to the bus together, right after that
// turn: one hand-off per step for the batch instead of one per event.
void PluginHost::ingest_from_node(nlohmann::json event, IngestContext context, std::string node,
                                  IngestDone done) {
  bool first = false;
  {
    std::lock_guard<std::mutex> lock(node_events_mutex_);
    first = node_events_.empty();
    node_events_.push_back({std::move(event), std::move(context), std::move(done), std::move(node)});
  }
  if (first) boost::asio::defer(strand_, [this]() { hand_over_node_events(); });
}

void PluginHost::hand_over_node_events() {
  std::vector<EventBus::NodeEvent> events;
  {
    std::lock_guard<std::mutex> lock(node_events_mutex_);
    events.swap(node_events_);
  }
  broker_.bus().ingest_from_nodes(std::move(events));
}

void PluginHost::broadcast(const std::string& channel, const nlohmann::json& payload) {
  broker_.bus().broadcast(channel, payload);
}

void PluginHost::publish(Event event) { broker_.bus().publish(std::move(event)); }

nlohmann::json PluginHost::history(const HistoryQuery& query) const { return broker_.bus().history(query); }

Counters PluginHost::counters() const { return broker_.counters(); }
nlohmann::json PluginHost::status() const { return broker_.status(); }
SessionTracker* PluginHost::sessions() { return broker_.sessions(); }

bool PluginHost::add_http_route(const HttpRoute& route, HttpHandler handler) {
  return add_http_route_with_body_limit(route, 0, std::move(handler));
}
bool PluginHost::add_http_route_with_body_limit(const HttpRoute& route, std::size_t max_body_bytes,
                                                HttpHandler handler) {
  std::string error;
  if (broker_.http().routes().add({route, plugin_, &strand_, std::move(handler), max_body_bytes}, error)) return true;
  log_->warn("route {} {} not added: {}", route.method, route.path, error);
  return false;
}
bool PluginHost::add_client_request(const std::string& name, ClientRequestHandler handler) {
  return broker_.services().add_client_request(plugin_, strand_, name, std::move(handler));
}
void PluginHost::add_client_observer(ClientObserver observer) {
  broker_.services().add_client_observer(plugin_, strand_, std::move(observer));
}
void PluginHost::fatal(int exit_code, const std::string& reason) { broker_.fatal(exit_code, reason, plugin_); }
void PluginHost::add_client_greeting(ClientGreeting greeting) {
  broker_.services().add_client_greeting(plugin_, std::move(greeting));
}
void PluginHost::add_broadcast_filter(BroadcastFilter filter) {
  broker_.services().add_broadcast_filter(plugin_, std::move(filter));
}
void PluginHost::add_status_filter(StatusFilter filter) {
  broker_.services().add_status_filter(plugin_, std::move(filter));
}

void PluginHost::serve_http(const HttpRequest& request, HttpReply reply) {
  broker_.http().serve(request, std::move(reply));
}
std::size_t PluginHost::max_body_bytes(const std::string& method, const std::string& path) const {
  return broker_.http().max_body_bytes(method, path);
}
std::string PluginHost::route_of(const std::string& method, const std::string& path) const {
  return broker_.http().route_of(method, path);
}
std::optional<HttpResponse> PluginHost::check_upgrade(const HttpRequest& request) const {
  return broker_.http().check_upgrade(request);
}
std::string PluginHost::check_client_auth(const nlohmann::json& auth, const std::string& remote) {
  return broker_.http().check_client_auth(auth, remote);
}
bool PluginHost::handle_client_request(const std::string& name, const ClientInfo& client,
                                       const nlohmann::json& args, ClientReply reply) {
  return broker_.services().handle_client_request(name, client, args, std::move(reply));
}
void PluginHost::client_connected(const ClientInfo& client) { broker_.services().client_changed(client, true); }
void PluginHost::client_disconnected(const ClientInfo& client) { broker_.services().client_changed(client, false); }
void PluginHost::report_listening_port(uint16_t port) { broker_.report_listening_port(port, plugin_); }
std::vector<ClientMessage> PluginHost::greetings_for(const ClientInfo& client, const nlohmann::json& history) {
  return broker_.services().greetings_for(client, history);
}

}  // namespace hookbroker::core
