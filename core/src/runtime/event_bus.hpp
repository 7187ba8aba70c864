// The event bus: ingest → hook handlers → count, history, sinks → broadcast.
//
// Every plugin is called on its own strand. The bus keeps arrival order per
// handler: events posted to a handler's strand run in order, and each hands
// its result to the bus strand in that same order.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <spdlog/logger.h>

#include "hookbroker/event.hpp"
#include "hookbroker/event_sink.hpp"
#include "hookbroker/hook_handler.hpp"
#include "hookbroker/host_api.hpp"
#include "hookbroker/transport.hpp"
#include "runtime/event_id_ledger.hpp"
#include "runtime/history_ring.hpp"
#include "runtime/plugin_services.hpp"

namespace hookbroker::core {

template <typename Interface>
struct PluginRef {
  std::string plugin;
  Interface* object = nullptr;
  Strand* strand = nullptr;
};

/// The plugins the bus routes through; replaced as plugins start and stop.
struct BusRoutes {
  std::vector<PluginRef<HookHandler>> handlers;
  std::vector<PluginRef<EventSink>> sinks;
  std::vector<PluginRef<Transport>> transports;
};

class EventBus {
 public:
  EventBus(boost::asio::io_context& io, std::size_t history_size, std::shared_ptr<spdlog::logger> log);

  void set_routes(BusRoutes routes);
  /// Where the broadcast filters plugins added live (set once, before any
  /// event): every broadcast passes them before it is stored and sent.
  void set_filters(const PluginServices* filters) { filters_ = filters; }
  /// From now on, ingest answers Unavailable ("shutting down").
  void close() { closed_ = true; }
  /// Waits until every ingest in flight was answered (its sinks included), at
  /// most `timeout`. True when none is left.
  bool wait_idle(std::chrono::milliseconds timeout) const;

  /// `origin_node` non-empty: an event another broker of a cluster accepted
  /// (HostApi::ingest_from_node): not counted, marked "node" and
  /// "from_cluster".
  void ingest(nlohmann::json raw, IngestContext context, IngestDone done, std::string origin_node = {});
  /// A plugin's own event: history and broadcast, not counted.
  void publish(Event event);
  /// Broadcast only (the heartbeat): neither counted nor stored.
  void broadcast(const std::string& channel, const nlohmann::json& payload);
  /// The same for a payload already serialised (valid compact JSON).
  void broadcast_serialized(const std::string& channel, std::shared_ptr<const std::string> text);

  nlohmann::json history(std::size_t limit, const std::vector<std::string>& types,
                         const std::string& session_id) const {
    return history_.query(limit, types, session_id);
  }
  /// One page of history for a HistoryQuery (see HistoryRing::page).
  nlohmann::json history(const HistoryQuery& query) const { return history_.page(query); }
  std::uint64_t total_events() const { return total_events_.load(); }
  std::size_t connected_clients() const;
  std::vector<std::string> handler_names() const;

 private:
  struct Job;
  struct SinkRound;
  void run_handler(std::shared_ptr<Job> job, std::size_t index);
  void accept(std::shared_ptr<Job> job, Event event);
  /// Offers an accepted event (or a failed one's retry) to `sinks`; the job
  /// finishes when all answered.
  void offer(const std::shared_ptr<Job>& job, std::shared_ptr<const nlohmann::json> event, std::size_t bytes,
             std::vector<PluginRef<EventSink>> sinks);
  void conclude(const std::shared_ptr<Job>& job, SinkRound& round);
  void finish(const std::shared_ptr<Job>& job, IngestResult result, EventIdLedger::Failed failed = {});
  void answer(const IngestDone& done, IngestResult result);
  void deliver(const std::string& channel, std::shared_ptr<const std::string> payload);
  /// `event` as clients get it, after the broadcast filters; `channel` in
  /// and out.
  nlohmann::json shaped(const Event& event, std::string& channel) const;
  std::shared_ptr<const BusRoutes> routes() const;

  boost::asio::io_context& io_;
  Strand strand_;
  std::shared_ptr<spdlog::logger> log_;
  const PluginServices* filters_ = nullptr;
  HistoryRing history_;
  EventIdLedger ids_;
  std::atomic<std::uint64_t> total_events_{0};
  std::atomic<bool> closed_{false};
  std::atomic<std::size_t> in_flight_{0};
  mutable std::mutex routes_mutex_;
  std::shared_ptr<const BusRoutes> routes_;
};

/// The generic form {type, subtype|event?, timestamp?, session_id?, data?}
/// when no hook handler claimed an event; nullopt-like Rejected otherwise.
HookOutcome normalize_generic(const nlohmann::json& raw, const IngestContext& context,
                              const std::vector<std::string>& handler_names);

}  // namespace hookbroker::core
