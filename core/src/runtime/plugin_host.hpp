// HostApi for one plugin: forwards to the broker, tags logs with the plugin's
// name, owns the plugin's strand. For a transport it is also its
// TransportHost.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <spdlog/logger.h>

#include "hookbroker/history_query.hpp"
#include "hookbroker/host_api.hpp"
#include "runtime/event_bus.hpp"

namespace hookbroker::core {

class Broker;

class PluginHost final : public HostApi, public TransportHost {
 public:
  /// `transport`: the plugin provides a Transport (its manifest says so), so
  /// transport_host() gives it the transport-only calls.
  PluginHost(Broker& broker, std::string plugin, bool transport);

  // HostApi
  const std::string& plugin_name() const override { return plugin_; }
  const HostSettings& settings() const override;
  void log(LogLevel level, const std::string& message) override;
  boost::asio::io_context& io_context() override;
  Strand& strand() override { return strand_; }
  void run_blocking(std::function<void()> work) override;
  void ingest(nlohmann::json raw, IngestContext context, IngestDone done) override;
  void publish(Event event) override;
  void ingest_from_node(nlohmann::json event, IngestContext context, std::string node, IngestDone done) override;
  void broadcast(const std::string& channel, const nlohmann::json& payload) override;
  nlohmann::json history(const HistoryQuery& query) const override;
  Counters counters() const override;
  nlohmann::json status() const override;
  SessionTracker* sessions() override;
  TransportHost* transport_host() override { return transport_ ? this : nullptr; }
  using HostApi::add_http_route;
  bool add_http_route(const HttpRoute& route, HttpHandler handler) override;
  bool add_client_request(const std::string& name, ClientRequestHandler handler) override;
  void add_client_observer(ClientObserver observer) override;
  void fatal(int exit_code, const std::string& reason) override;
  void add_client_greeting(ClientGreeting greeting) override;
  void add_broadcast_filter(BroadcastFilter filter) override;
  void add_status_filter(StatusFilter filter) override;
  bool add_http_route_with_body_limit(const HttpRoute& route, std::size_t max_body_bytes,
                                      HttpHandler handler) override;

  // TransportHost
  void serve_http(const HttpRequest& request, HttpReply reply) override;
  std::string route_of(const std::string& method, const std::string& path) const override;
  std::optional<HttpResponse> check_upgrade(const HttpRequest& request) const override;
  std::string check_client_auth(const nlohmann::json& auth, const std::string& remote) override;
  bool handle_client_request(const std::string& name, const ClientInfo& client, const nlohmann::json& args,
                             ClientReply reply) override;
  void client_connected(const ClientInfo& client) override;
  void client_disconnected(const ClientInfo& client) override;
  void report_listening_port(uint16_t port) override;
  std::vector<ClientMessage> greetings_for(const ClientInfo& client, const nlohmann::json& history) override;
  std::size_t max_body_bytes(const std::string& method, const std::string& path) const override;

 private:
  /// Hands the events ingest_from_node queued to the bus as one batch.
  void hand_over_node_events();

  Broker& broker_;
  const std::string plugin_;
  const bool transport_;
  Strand strand_;
  std::shared_ptr<spdlog::logger> log_;
  std::mutex node_events_mutex_;
  std::vector<EventBus::NodeEvent> node_events_;  ///< ingest_from_node's, not yet handed over
};

}  // namespace hookbroker::core
