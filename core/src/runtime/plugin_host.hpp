// HostApi for one plugin: forwards to the broker, tags logs with the plugin's
// name, owns the plugin's strand.
#pragma once

#include <memory>
#include <string>

#include <spdlog/logger.h>

#include "hookbroker/history_query.hpp"
#include "hookbroker/host_api.hpp"

namespace hookbroker::core {

class Broker;

class PluginHost final : public HostApi {
 public:
  PluginHost(Broker& broker, std::string plugin);

  const std::string& plugin_name() const override { return plugin_; }
  const HostSettings& settings() const override;
  void log(LogLevel level, const std::string& message) override;
  boost::asio::io_context& io_context() override;
  Strand& strand() override { return strand_; }
  void run_blocking(std::function<void()> work) override;
  void ingest(nlohmann::json raw, IngestContext context, IngestDone done) override;
  void publish(Event event) override;
  nlohmann::json history(std::size_t limit, const std::vector<std::string>& types,
                         const std::string& session_id) const override;
  /// What HostApi::history becomes (`virtual nlohmann::json history(const
  /// HistoryQuery&) const = 0;`, replacing the call above): one page in
  /// HistoryQuery's shape from the core's ring, cursor paging included.
  /// Until then the transport pages over the old call (builtin_history.hpp).
  nlohmann::json history(const HistoryQuery& query) const;
  Counters counters() const override;
  nlohmann::json status() const override;
  SessionTracker* sessions() override;
  bool add_http_route(const std::string& method, const std::string& path, HttpHandler handler) override;
  bool handle_http(const HttpRequest& request, HttpReply reply) override;
  bool add_client_request(const std::string& name, ClientRequestHandler handler) override;
  bool handle_client_request(const std::string& name, const ClientInfo& client, const nlohmann::json& args,
                             ClientReply reply) override;
  void client_connected(const ClientInfo& client) override;
  void client_disconnected(const ClientInfo& client) override;
  void add_client_observer(ClientObserver observer) override;
  void fatal(int exit_code, const std::string& reason) override;
  void report_listening_port(uint16_t port) override;

 private:
  Broker& broker_;
  const std::string plugin_;
  Strand strand_;
  std::shared_ptr<spdlog::logger> log_;
};

}  // namespace hookbroker::core
