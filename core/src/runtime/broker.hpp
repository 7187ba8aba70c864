// The broker: owns the io_context and its threads, loads and starts plugins,
// runs the event bus and the heartbeat, and shuts everything down in order.
#pragma once

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <spdlog/logger.h>

#include "hookbroker/plugin.hpp"
#include "http/http_service.hpp"
#include "options/settings.hpp"
#include "plugins/plugin_catalog.hpp"
#include "runtime/event_bus.hpp"
#include "runtime/heartbeat.hpp"
#include "runtime/plugin_services.hpp"

namespace hookbroker::core {

class PluginHost;

/// Exit codes of the hookbroker executable.
enum ExitCode { kExitOk = 0, kExitFailure = 1, kExitBadSetting = 2, kExitPortInUse = 3, kExitRequiredPlugin = 4 };

class Broker {
 public:
  Broker(Settings settings, std::vector<std::string> plugin_dirs, std::shared_ptr<spdlog::logger> log);
  ~Broker();

  /// Loads plugins, runs until SIGINT/SIGTERM or a fatal plugin error, shuts
  /// down in order. Returns the process exit code.
  int run();

  // ---- services behind HostApi (any thread) --------------------------------
  const HostSettings& host_settings() const { return host_settings_; }
  boost::asio::io_context& io() { return io_; }
  EventBus& bus() { return bus_; }
  PluginServices& services() { return services_; }
  HttpService& http() { return http_; }
  SessionTracker* sessions() const { return tracker_; }
  void run_blocking(std::function<void()> work);
  Counters counters() const;
  nlohmann::json status() const;
  void fatal(int exit_code, const std::string& reason, const std::string& plugin);
  void report_listening_port(uint16_t port, const std::string& plugin);
  std::shared_ptr<spdlog::logger> plugin_logger(const std::string& plugin);

 private:
  struct LoadedPlugin;
  void start_threads();
  bool start_plugins(PluginCatalog& catalog);
  bool call_on_strand(LoadedPlugin& plugin, const char* what, std::function<void()> fn,
                      std::chrono::milliseconds timeout, std::string& error);
  void publish_routes();
  void add_core_routes();
  void announce_broker_started();
  uint16_t port() const;
  void request_shutdown(int exit_code);
  void shutdown();
  nlohmann::json heartbeat_core_data() const;

  // Declared first so they are destroyed last: handlers still queued in the
  // io_context may hold objects whose code lives in a plugin library.
  std::vector<std::shared_ptr<PluginLibrary>> libraries_;
  Settings settings_;
  HostSettings host_settings_;
  std::vector<std::string> plugin_dirs_;
  std::shared_ptr<spdlog::logger> log_;
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::vector<std::thread> threads_;
  boost::asio::thread_pool blocking_pool_{2};
  const std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  EventBus bus_;
  PluginServices services_;
  HttpService http_;
  Strand core_strand_;  ///< runs the core's own HTTP routes
  Heartbeat heartbeat_;
  std::vector<std::unique_ptr<LoadedPlugin>> plugins_;
  SessionTracker* tracker_ = nullptr;
  bool bad_setting_ = false;  ///< a plugin threw ConfigError: exit 2
  std::atomic<uint16_t> listening_port_{0};  ///< first port a transport reported

  std::mutex shutdown_mutex_;
  std::promise<int> shutdown_requested_;
  bool shutdown_signalled_ = false;
  std::thread shutdown_watchdog_;
};

}  // namespace hookbroker::core
