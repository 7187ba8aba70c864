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
  /// One event another broker of a cluster accepted (ingest_from_nodes).
  struct NodeEvent {
    nlohmann::json raw;
    IngestContext context;
    IngestDone done;
    std::string node;
  };
  /// Events other brokers accepted, in the order they were read: each goes
  /// the way ingest(raw, context, done, node) takes it and is answered on its
  /// own, in this order, but the batch takes one hand-off per step (each
  /// handler's strand, the bus strand, each transport's, each sink's), not
  /// one per event (event_bus_batch.cpp).
  void ingest_from_nodes(std::vector<NodeEvent> events);
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
  struct Batch;
  /// An accepted event as stored and sent.
  struct Recorded {
    std::shared_ptr<const nlohmann::json> json;
    Broadcast message;
  };
  /// The ledger's say on a new ingest: the job to run through the handlers,
  /// or null when it was answered (or joined, or retried) here.
  std::shared_ptr<Job> admit(nlohmann::json raw, IngestContext context, IngestDone done, std::string origin_node);
  void run_handler(std::shared_ptr<Job> job, std::size_t index);
  /// `handler`'s verdict on the job's event; NotMine when it throws.
  HookOutcome read(const PluginRef<HookHandler>& handler, const Job& job) const;
  void accept(std::shared_ptr<Job> job, Event event);
  /// Stamps, marks, shapes and stores an accepted event (counted if local).
  Recorded record(Job& job, Event event);
  void read_batch(std::shared_ptr<Batch> batch, std::size_t index);
  void accept_batch(Batch& batch);
  /// One sink's answer for one job's round.
  SinkDone sink_done(const std::shared_ptr<Job>& job, const std::shared_ptr<SinkRound>& round, std::string sink);
  /// Calls `sink` (on its strand), failing the event if it throws.
  void consume(const PluginRef<EventSink>& sink, std::shared_ptr<const nlohmann::json> event, const SinkDone& done) const;
  /// Sends each message, in order, with one hand-off per transport.
  void deliver_all(std::vector<Broadcast> messages);
  /// Calls `transport` (on its strand), logging what it throws.
  void send(const PluginRef<Transport>& transport, const Broadcast& message) const;
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
