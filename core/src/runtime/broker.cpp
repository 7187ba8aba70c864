#include "runtime/broker.hpp"

#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>

#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <spdlog/spdlog.h>

#include "hookbroker/time.hpp"
#include "plugins/manifest_check.hpp"
#include "runtime/plugin_host.hpp"
#include "runtime/session_tracker_3_0.hpp"
#include "version.hpp"

namespace hookbroker::core {

struct Broker::LoadedPlugin {
  PluginCandidate candidate;
  std::unique_ptr<PluginHost> host;
  Plugin* object = nullptr;
  Transport* transport = nullptr;
  SessionTracker* tracker = nullptr;  ///< what others are handed (an adapter for a 3.0 tracker)
  std::unique_ptr<SessionTracker30> tracker_3_0;
  HookHandler* handler = nullptr;
  HeartbeatContributor* contributor = nullptr;
  EventSink* sink = nullptr;
  PluginInterfaces interfaces;
  ContributorRef contributor_ref;
};

namespace {

/// Start order: services others depend on first, transports (which let the
/// world in) last; shutdown runs in reverse, so transports stop accepting first.
int start_rank(uint32_t kinds) {
  if (kinds & HOOKBROKER_KIND_SESSION_TRACKER) return 0;
  if (kinds & HOOKBROKER_KIND_EVENT_SINK) return 1;
  if (kinds & HOOKBROKER_KIND_HOOK_HANDLER) return 2;
  if (kinds & HOOKBROKER_KIND_TRANSPORT) return 4;
  return 3;
}

constexpr auto kCreateTimeout = std::chrono::seconds(5);
constexpr auto kStopTimeout = std::chrono::milliseconds(300);
constexpr auto kShutdownBudget = std::chrono::milliseconds(1800);

}  // namespace

Broker::Broker(Settings settings, std::vector<std::string> plugin_dirs, std::shared_ptr<spdlog::logger> log)
    : settings_(std::move(settings)),
      plugin_dirs_(std::move(plugin_dirs)),
      log_(std::move(log)),
      work_(boost::asio::make_work_guard(io_)),
      bus_(io_, settings_.history_size, log_),
      services_(log_),
      http_(HttpPolicy({settings_.token, settings_.host, settings_.allowed_hosts, settings_.cors_origins}), io_,
            std::chrono::milliseconds(static_cast<std::int64_t>(settings_.auth_failure_log_interval * 1000)), log_),
      core_strand_(boost::asio::make_strand(io_)),
      heartbeat_(io_, settings_.heartbeat_interval, settings_.contributor_timeout,
                 HeartbeatHooks{[this] { return heartbeat_core_data(); },
                                [this] { return tracker_ ? tracker_->size() : std::size_t{0}; },
                                [this](std::shared_ptr<const std::string> text) {
                                  bus_.broadcast_serialized(kSystemChannel, std::move(text));
                                },
                                [this](nlohmann::json hb) {
                                  // One shared heartbeat for all plugins: with 1,000
                                  // sessions it is ~50 kB.
                                  auto shared = std::make_shared<const nlohmann::json>(std::move(hb));
                                  for (auto& p : plugins_) {
                                    Plugin* object = p->object;
                                    const std::string name = p->candidate.name;
                                    boost::asio::post(p->host->strand(), [this, object, name, shared]() {
                                      try {
                                        object->on_heartbeat(*shared);
                                      } catch (const std::exception& e) {
                                        log_->error("plugin '{}' threw in on_heartbeat: {}", name, e.what());
                                      } catch (...) {
                                        log_->error("plugin '{}' threw a non-standard exception in "
                                                    "on_heartbeat", name);
                                      }
                                    });
                                  }
                                }},
                 log_) {
  host_settings_.version = HOOKBROKER_VERSION;
  host_settings_.host = settings_.host;
  host_settings_.port = settings_.port;
  host_settings_.heartbeat_interval_s = settings_.heartbeat_interval;
  host_settings_.state_dir = settings_.state_dir;
  host_settings_.data_dir = settings_.data_dir;
  bus_.set_filters(&services_);
  add_core_routes();
}

void Broker::add_core_routes() {
  std::string error;
  // Public: a hook forwarder or launcher finds out whether the port is a
  // hookbroker before it has a token.
  http_.routes().add({HttpRoute{"GET", "/health", RouteAccess::Public, RouteBody::Json}, "core", &core_strand_,
                      [this](const HttpRequest&, HttpReply reply) { reply(HttpResponse::json(200, status())); }},
                     error);
  http_.routes().add({HttpRoute{"GET", "/api/routes", RouteAccess::Token, RouteBody::Json}, "core", &core_strand_,
                      [this](const HttpRequest&, HttpReply reply) {
                        nlohmann::json list = nlohmann::json::array();
                        for (const auto& [route, owner] : http_.routes().routes())
                          list.push_back({{"method", route.method},
                                          {"path", route.path},
                                          {"public", route.access == RouteAccess::Public},
                                          {"json_body", route.body == RouteBody::Json},
                                          {"plugin", owner}});
                        reply(HttpResponse::json(200, {{"routes", std::move(list)}}));
                      }},
                     error);
}

Broker::~Broker() {
  work_.reset();
  io_.stop();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  if (shutdown_watchdog_.joinable()) shutdown_watchdog_.join();
}

std::shared_ptr<spdlog::logger> Broker::plugin_logger(const std::string& plugin) {
  auto logger = std::make_shared<spdlog::logger>(plugin, log_->sinks().begin(), log_->sinks().end());
  logger->set_level(log_->level());
  return logger;
}

void Broker::run_blocking(std::function<void()> work) {
  boost::asio::post(blocking_pool_, [this, work = std::move(work)]() {
    try {
      work();
    } catch (const std::exception& e) {
      log_->error("blocking work threw: {}", e.what());
    } catch (...) {
      log_->error("blocking work threw a non-standard exception");
    }
  });
}

Counters Broker::counters() const {
  Counters c;
  c.uptime_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  c.total_events = bus_.total_events();
  c.connected_clients = bus_.connected_clients();
  c.sessions = tracker_ ? tracker_->size() : 0;
  return c;
}

nlohmann::json Broker::status() const {
  const Counters c = counters();
  nlohmann::json plugins = nlohmann::json::array();
  for (const auto& p : plugins_) plugins.push_back(p->candidate.name);
  // GET /health answers this object too; `status`, `clients` and `events`
  // are the names /health used before it was the core's.
  nlohmann::json status = {{"status", "ok"},
                           {"service", "hookbroker"},
                           {"version", HOOKBROKER_VERSION},
                           {"host", settings_.host},
                           {"port", port()},
                           {"pid", static_cast<long>(::getpid())},
                           {"uptime_seconds", static_cast<std::int64_t>(c.uptime_seconds)},
                           {"connected_clients", c.connected_clients},
                           {"clients", c.connected_clients},
                           {"total_events", c.total_events},
                           {"events", c.total_events},
                           {"sessions", c.sessions},
                           {"heartbeat_interval", settings_.heartbeat_interval},
                           {"plugins", plugins},
                           {"timestamp", now_iso8601_utc()}};
  services_.filter_status(status);
  // A plugin may have the port answer as another service (mpm_compat says
  // "claude-mpm-monitor"); this field still tells hookbroker's own tools.
  status["implementation"] = "hookbroker";
  return status;
}

nlohmann::json Broker::heartbeat_core_data() const {
  const Counters c = counters();
  return {{"uptime_seconds", static_cast<std::int64_t>(c.uptime_seconds)},
          {"connected_clients", c.connected_clients},
          {"total_events", c.total_events},
          {"server_info",
           {{"version", HOOKBROKER_VERSION}, {"port", port()}, {"heartbeat_interval", settings_.heartbeat_interval}}}};
}

void Broker::fatal(int exit_code, const std::string& reason, const std::string& plugin) {
  log_->critical("plugin '{}' stopped the broker: {}", plugin, reason);
  request_shutdown(exit_code);
}

void Broker::report_listening_port(uint16_t port, const std::string& plugin) {
  uint16_t none = 0;
  if (listening_port_.compare_exchange_strong(none, port))
    log_->debug("plugin '{}' listens on port {}; the broker reports that port", plugin, port);
}

uint16_t Broker::port() const {
  const uint16_t bound = listening_port_.load();
  return bound ? bound : settings_.port;
}

void Broker::request_shutdown(int exit_code) {
  std::lock_guard<std::mutex> lock(shutdown_mutex_);
  if (shutdown_signalled_) return;
  shutdown_signalled_ = true;
  shutdown_requested_.set_value(exit_code);
}

void Broker::start_threads() {
  unsigned n = settings_.threads ? settings_.threads : std::max(1u, std::thread::hardware_concurrency());
  for (unsigned i = 0; i < n; ++i) {
    threads_.emplace_back([this]() {
      for (;;) {
        try {
          io_.run();
          return;
        } catch (const std::exception& e) {
          // A plugin handler that throws must not take the event loop down.
          log_->error("a handler on the event loop threw: {}; continuing", e.what());
        } catch (...) {
          log_->error("a handler on the event loop threw a non-standard exception; continuing");
        }
      }
    });
  }
}

bool Broker::call_on_strand(LoadedPlugin& plugin, const char* what, std::function<void()> fn,
                            std::chrono::milliseconds timeout, std::string& error) {
  auto result = std::make_shared<std::promise<std::string>>();
  auto future = result->get_future();
  boost::asio::post(plugin.host->strand(), [fn = std::move(fn), result]() {
    try {
      fn();
      result->set_value({});
    } catch (const std::exception& e) {
      result->set_value(std::string(e.what()).empty() ? "threw an exception" : e.what());
    } catch (...) {
      result->set_value("threw a non-standard exception");
    }
  });
  if (future.wait_for(timeout) != std::future_status::ready) {
    error = std::string(what) + " did not return within " + std::to_string(timeout.count()) + " ms";
    return false;
  }
  error = future.get();
  if (!error.empty()) error = std::string(what) + " failed: " + error;
  return error.empty();
}

bool Broker::start_plugins(PluginCatalog& catalog) {
  std::vector<PluginCandidate> ready;
  for (const auto& c : catalog.candidates())
    if (c.status == PluginCandidate::Status::Ready) ready.push_back(c);
  std::stable_sort(ready.begin(), ready.end(), [](const PluginCandidate& a, const PluginCandidate& b) {
    return start_rank(a.manifest->kinds) < start_rank(b.manifest->kinds);
  });

  for (auto& candidate : ready) {
    auto refuse = [&](const std::string& reason) {
      log_->error("plugin '{}' ({}) {}; the broker goes on without it", candidate.name, candidate.path, reason);
      catalog.fail(candidate.name, reason);
      return !candidate.required;
    };
    // The first moment any of the plugin's code runs: its checks are done.
    std::string open_error;
    candidate.library = PluginLibrary::open(candidate, open_error);
    if (!candidate.library) {
      if (!refuse("refused: " + open_error)) return false;
      continue;
    }
    libraries_.push_back(candidate.library);
    auto loaded = std::make_unique<LoadedPlugin>();
    loaded->candidate = candidate;
    const PluginManifest& m = *candidate.manifest;
    loaded->host = std::make_unique<PluginHost>(*this, candidate.name, (m.kinds & HOOKBROKER_KIND_TRANSPORT) != 0);

    std::string error;
    auto create_error = std::make_shared<std::string>();
    auto config_error = std::make_shared<bool>(false);
    LoadedPlugin* lp = loaded.get();
    const bool created = call_on_strand(
        *lp, "create",
        [lp, create_error, config_error]() {
          lp->object = lp->candidate.library->create(*lp->host, lp->candidate.config, lp->interfaces,
                                                     *create_error, *config_error);
        },
        std::chrono::duration_cast<std::chrono::milliseconds>(kCreateTimeout), error);
    if (created && !lp->object && *config_error) {
      log_->critical("plugins.{}.config: {} (plugin '{}', {})", candidate.name, *create_error, candidate.name,
                     candidate.path);
      bad_setting_ = true;
      return false;
    }
    if (!created || !lp->object) {
      if (!refuse(created ? "create failed: " + *create_error : error)) return false;
      continue;
    }
    // The manifest's kinds and the interfaces come from the same base classes
    // (HOOKBROKER_PLUGIN); a mismatch means a hand-made or corrupt plugin.
    const PluginInterfaces& i = lp->interfaces;
    const uint32_t provided = (i.transport ? HOOKBROKER_KIND_TRANSPORT : 0u) |
                              (i.session_tracker ? HOOKBROKER_KIND_SESSION_TRACKER : 0u) |
                              (i.hook_handler ? HOOKBROKER_KIND_HOOK_HANDLER : 0u) |
                              (i.heartbeat_contributor ? HOOKBROKER_KIND_HEARTBEAT_CONTRIBUTOR : 0u) |
                              (i.event_sink ? HOOKBROKER_KIND_EVENT_SINK : 0u);
    if (provided != m.kinds) {
      candidate.library->destroy(lp->object);
      if (!refuse("provides " + kinds_to_string(provided) + " but its manifest says " + kinds_to_string(m.kinds) +
                  "; rebuild it with HOOKBROKER_PLUGIN"))
        return false;
      continue;
    }
    lp->transport = i.transport;
    lp->tracker = i.session_tracker;
    if (lp->tracker && m.abi_minor < 1) {
      lp->tracker_3_0 = std::make_unique<SessionTracker30>(*lp->tracker);
      lp->tracker = lp->tracker_3_0.get();
    }
    lp->handler = i.hook_handler;
    lp->contributor = i.heartbeat_contributor;
    lp->sink = i.event_sink;
    const bool first_tracker = lp->tracker && !tracker_;
    if (first_tracker) tracker_ = lp->tracker;
    if (!call_on_strand(*lp, "start", [lp]() { lp->object->start(); },
                        std::chrono::duration_cast<std::chrono::milliseconds>(kCreateTimeout), error)) {
      if (first_tracker) tracker_ = nullptr;
      services_.remove_owner(candidate.name);
      http_.routes().remove_owner(candidate.name);
      // A start() that timed out may still be running; leak rather than free under it.
      if (error.find("did not return") == std::string::npos) candidate.library->destroy(lp->object);
      if (!refuse(error)) return false;
      continue;
    }
    if (lp->contributor) {
      lp->contributor_ref =
          ContributorRef{candidate.name, lp->contributor, &lp->host->strand(), candidate.heartbeat_keys};
      lp->contributor_ref.serialized = m.abi_minor >= 3;  // older plugins lack contribute_serialized's slot
    }
    log_->info("plugin '{}' {} loaded ({}) from {}", candidate.name, m.version, kinds_to_string(m.kinds),
               candidate.path);
    plugins_.push_back(std::move(loaded));
    publish_routes();
  }
  return true;
}

void Broker::publish_routes() {
  BusRoutes routes;
  std::vector<ContributorRef> contributors;
  for (auto& p : plugins_) {
    Strand* strand = &p->host->strand();
    const std::string& name = p->candidate.name;
    if (p->handler) routes.handlers.push_back({name, p->handler, strand});
    if (p->sink) routes.sinks.push_back({name, p->sink, strand});
    if (p->transport) routes.transports.push_back({name, p->transport, strand});
    if (p->contributor) contributors.push_back(p->contributor_ref);
  }
  bus_.set_routes(std::move(routes));
  heartbeat_.set_contributors(std::move(contributors));
}

int Broker::run() {
  PluginScanOptions scan_options;
  scan_options.allow_insecure_paths = settings_.allow_insecure_plugin_paths;
  PluginCatalog catalog = PluginCatalog::scan(plugin_dirs_, settings_.plugins, scan_options);
  for (const auto& w : catalog.warnings()) log_->warn("{}", w);
  for (const auto& c : catalog.candidates()) {
    if (c.status == PluginCandidate::Status::Refused)
      log_->error("plugin '{}' ({}) refused: {}; the broker goes on without it", c.name, c.path, c.reason);
    else if (c.status == PluginCandidate::Status::Disabled)
      log_->info("plugin '{}' ({}) not loaded: {}", c.name, c.path, c.reason);
  }
  if (!catalog.bad_settings().empty()) {
    for (const auto& bad : catalog.bad_settings()) log_->critical("{}", bad);
    return kExitBadSetting;
  }
  if (auto failure = catalog.required_failure(settings_.plugins); !failure.empty()) {
    log_->critical("{}", failure);
    return kExitRequiredPlugin;
  }

  boost::asio::signal_set signals(io_, SIGINT, SIGTERM);
  signals.async_wait([this](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    log_->info("received {}, shutting down", signal == SIGINT ? "SIGINT" : "SIGTERM");
    request_shutdown(kExitOk);
  });
  start_threads();

  if (!start_plugins(catalog)) {
    if (bad_setting_) {
      request_shutdown(kExitBadSetting);
    } else {
      log_->critical("{}", catalog.required_failure(settings_.plugins));
      request_shutdown(kExitRequiredPlugin);
    }
  } else {
    heartbeat_.start();
    announce_broker_started();
    std::string names;
    for (const auto& p : plugins_) names += (names.empty() ? "" : ", ") + p->candidate.name;
    log_->info("hookbroker {} running: {} plugin(s) loaded ({}), heartbeat every {}s", HOOKBROKER_VERSION,
               plugins_.size(), names.empty() ? "none" : names, settings_.heartbeat_interval);
  }

  const int exit_code = shutdown_requested_.get_future().get();
  signals.cancel();
  shutdown();
  return exit_code;
}

void Broker::announce_broker_started() {
  for (auto& p : plugins_) {
    Plugin* object = p->object;
    const std::string name = p->candidate.name;
    boost::asio::post(p->host->strand(), [this, object, name]() {
      try {
        object->on_broker_started();
      } catch (const std::exception& e) {
        log_->error("plugin '{}' threw in on_broker_started: {}; it stays loaded", name, e.what());
      } catch (...) {
        log_->error("plugin '{}' threw a non-standard exception in on_broker_started; it stays loaded", name);
      }
    });
  }
}

void Broker::shutdown() {
  const auto deadline = std::chrono::steady_clock::now() + kShutdownBudget;
  // Watchdog: a plugin stuck in a handler must not keep the process alive.
  // Joined in the destructor: it wakes as soon as shutdown is done.
  auto finished = std::make_shared<std::promise<void>>();
  shutdown_watchdog_ = std::thread([finished_future = finished->get_future(), deadline, log = log_]() {
    if (finished_future.wait_until(deadline) == std::future_status::ready) return;
    log->error("shutdown did not finish within {} ms (a plugin is stuck); exiting now",
               std::chrono::duration_cast<std::chrono::milliseconds>(kShutdownBudget).count());
    log->flush();
    std::_Exit(kExitOk);
  });

  auto heartbeat_stopped = std::make_shared<std::promise<void>>();
  heartbeat_.stop([heartbeat_stopped]() { heartbeat_stopped->set_value(); });
  heartbeat_stopped->get_future().wait_for(std::chrono::milliseconds(600));
  bus_.close();
  // Events already accepted get their sinks and their answer before the
  // plugins that serve them stop.
  if (!bus_.wait_idle(std::chrono::milliseconds(500)))
    log_->warn("some events were still in flight at shutdown; their senders get no answer");

  for (auto it = plugins_.rbegin(); it != plugins_.rend(); ++it) {
    LoadedPlugin& p = **it;
    std::string error;
    Plugin* object = p.object;
    if (!call_on_strand(p, "stop", [object]() { object->stop(); }, kStopTimeout, error))
      log_->error("plugin '{}' {}", p.candidate.name, error);
    services_.remove_owner(p.candidate.name);
    http_.routes().remove_owner(p.candidate.name);
  }

  work_.reset();
  io_.stop();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
  blocking_pool_.stop();
  blocking_pool_.join();

  bus_.set_routes({});
  for (auto it = plugins_.rbegin(); it != plugins_.rend(); ++it) {
    (*it)->candidate.library->destroy((*it)->object);
    (*it)->object = nullptr;
  }
  tracker_ = nullptr;
  plugins_.clear();
  finished->set_value();
  log_->info("hookbroker stopped");
  log_->flush();
}

}  // namespace hookbroker::core
