#include "runtime/event_bus.hpp"

#include <algorithm>
#include <thread>

#include <boost/asio/post.hpp>

#include "hookbroker/time.hpp"
#include "runtime/event_bus_job.hpp"
#include "strands/run_in_order.hpp"

namespace hookbroker::core {

namespace {

// Ids remembered for retries and duplicates; failed events kept for their
// retry (event_id_ledger.hpp), bounded by count and bytes.
constexpr std::size_t kRememberedIds = 100000;
constexpr std::size_t kFailedEventsKept = 10000;
constexpr std::size_t kFailedBytesKept = 64u << 20;

}  // namespace

EventBus::EventBus(boost::asio::io_context& io, std::size_t history_size,
                   std::shared_ptr<spdlog::logger> log)
    : io_(io),
      strand_(boost::asio::make_strand(io)),
      log_(std::move(log)),
      history_(history_size),
      ids_(kRememberedIds, kFailedEventsKept, kFailedBytesKept),
      routes_(std::make_shared<BusRoutes>()) {}

void EventBus::set_routes(BusRoutes routes) {
  std::lock_guard<std::mutex> lock(routes_mutex_);
  routes_ = std::make_shared<const BusRoutes>(std::move(routes));
}

std::shared_ptr<const BusRoutes> EventBus::routes() const {
  std::lock_guard<std::mutex> lock(routes_mutex_);
  return routes_;
}

std::size_t EventBus::connected_clients() const {
  std::size_t total = 0;
  for (const auto& t : routes()->transports) total += t.object->connected_clients();
  return total;
}

std::vector<std::string> EventBus::handler_names() const {
  std::vector<std::string> names;
  for (const auto& h : routes()->handlers) names.push_back(h.plugin);
  return names;
}

void EventBus::ingest(nlohmann::json raw, IngestContext context, IngestDone done, std::string origin_node) {
  if (auto job = admit(std::move(raw), std::move(context), std::move(done), std::move(origin_node)))
    run_handler(std::move(job), 0);
}

std::shared_ptr<EventBus::Job> EventBus::admit(nlohmann::json raw, IngestContext context, IngestDone done,
                                               std::string origin_node) {
  if (closed_) {
    IngestResult result{IngestResult::Status::Unavailable, "the broker is shutting down", 1};
    answer(done, std::move(result));
    return nullptr;
  }
  if (context.received_at.empty()) context.received_at = now_iso8601_utc();
  auto job = std::make_shared<Job>();
  job->raw = std::move(raw);
  job->context = std::move(context);
  job->done = std::move(done);
  job->origin_node = std::move(origin_node);
  if (!job->context.event_id.empty()) {
    EventIdLedger::Claim claim = ids_.claim(job->context.event_id, job->done);
    switch (claim.kind) {
      case EventIdLedger::Claim::Kind::Stored:
        answer(job->done, {IngestResult::Status::Duplicate, {}});
        return nullptr;
      case EventIdLedger::Claim::Kind::Joined:
        return nullptr;  // answered with the outcome of the attempt in flight
      case EventIdLedger::Claim::Kind::Retry: {
        // Counted, kept in history and broadcast the first time: only the
        // sinks that failed it see it again.
        ++in_flight_;
        job->routes = routes();
        std::vector<PluginRef<EventSink>> sinks;
        for (const auto& sink : job->routes->sinks)
          if (std::find(claim.failed.sinks.begin(), claim.failed.sinks.end(), sink.plugin) != claim.failed.sinks.end())
            sinks.push_back(sink);
        offer(job, std::move(claim.failed.event), claim.failed.bytes, std::move(sinks));
        return nullptr;
      }
      case EventIdLedger::Claim::Kind::New:
        break;
    }
  }
  ++in_flight_;
  job->routes = routes();
  return job;
}

void EventBus::run_handler(std::shared_ptr<Job> job, std::size_t index) {
  if (index >= job->routes->handlers.size()) {
    std::vector<std::string> names;
    for (const auto& h : job->routes->handlers) names.push_back(h.plugin);
    HookOutcome outcome = normalize_generic(job->raw, job->context, names);
    if (outcome.verdict == HookOutcome::Verdict::Accepted) {
      strands::run_in_order(strand_, [this, job, event = std::move(outcome.event)]() mutable {
        accept(job, std::move(event));
      });
    } else {
      finish(job, {IngestResult::Status::Rejected, outcome.error});
    }
    return;
  }
  const auto& handler = job->routes->handlers[index];
  // At once, on the caller's thread, when the handler's strand is free: an
  // event's way from the POST to the clients is then no chain of wake-ups
  // of the other worker (run_in_order.hpp keeps each strand's order).
  strands::run_in_order(*handler.strand, [this, job, index, handler]() mutable {
    HookOutcome outcome = read(handler, *job);
    switch (outcome.verdict) {
      case HookOutcome::Verdict::NotMine:
        run_handler(job, index + 1);
        break;
      case HookOutcome::Verdict::Accepted:
        strands::run_in_order(strand_, [this, job, event = std::move(outcome.event)]() mutable {
          accept(job, std::move(event));
        });
        break;
      case HookOutcome::Verdict::Duplicate:
        finish(job, {IngestResult::Status::Duplicate, {}});
        break;
      case HookOutcome::Verdict::Rejected:
        finish(job, {IngestResult::Status::Rejected, outcome.error});
        break;
    }
  });
}

HookOutcome EventBus::read(const PluginRef<HookHandler>& handler, const Job& job) const {
  try {
    return handler.object->handle(job.raw, job.context);
  } catch (const std::exception& e) {
    log_->error("hook handler '{}' threw on an event: {}; the event goes to the next handler", handler.plugin,
                e.what());
  } catch (...) {
    log_->error("hook handler '{}' threw a non-standard exception; the event goes to the next handler",
                handler.plugin);
  }
  return HookOutcome::not_mine();
}

void EventBus::accept(std::shared_ptr<Job> job, Event event) {
  Recorded recorded = record(*job, std::move(event));
  const std::size_t bytes = recorded.message.payload->size();
  deliver(recorded.message.channel, std::move(recorded.message.payload));
  offer(job, std::move(recorded.json), bytes, job->routes->sinks);
}

EventBus::Recorded EventBus::record(Job& job, Event event) {
  if (event.timestamp.empty()) event.timestamp = job.context.received_at;
  if (event.source.empty()) event.source = job.context.source;
  if (job.context.replayed) event.extra["replayed"] = true;
  if (!job.context.event_id.empty()) event.extra["event_id"] = job.context.event_id;
  if (job.origin_node.empty()) {
    ++total_events_;
  } else {
    event.extra["node"] = job.origin_node;
    event.extra["from_cluster"] = true;
  }
  std::string channel = event.channel;
  auto json = std::make_shared<const nlohmann::json>(shaped(event, channel));
  history_.push(json);
  auto payload = std::make_shared<const std::string>(json->dump());
  return {std::move(json), {std::move(channel), std::move(payload)}};
}

void EventBus::offer(const std::shared_ptr<Job>& job, std::shared_ptr<const nlohmann::json> event, std::size_t bytes,
                     std::vector<PluginRef<EventSink>> sinks) {
  if (sinks.empty()) {
    finish(job, {IngestResult::Status::Accepted, {}});
    return;
  }
  // The sender's acknowledgement waits until every sink answered.
  auto round = std::make_shared<SinkRound>(event, bytes, sinks.size());
  // Queued, never run here: a sink that takes its time must not hold the
  // strands of the event's way (the transport's among them).
  for (auto& sink : sinks)
    boost::asio::post(*sink.strand, [this, sink, event, done = sink_done(job, round, sink.plugin)]() {
      consume(sink, event, done);
    });
}

SinkDone EventBus::sink_done(const std::shared_ptr<Job>& job, const std::shared_ptr<SinkRound>& round,
                             std::string sink) {
  auto answered = std::make_shared<std::atomic<bool>>(false);
  return [this, job, round, name = std::move(sink), answered](SinkResult result) {
    if (answered->exchange(true)) return;  // a second call is ignored
    if (round->record(name, std::move(result))) conclude(job, *round);
  };
}

void EventBus::consume(const PluginRef<EventSink>& sink, std::shared_ptr<const nlohmann::json> event,
                       const SinkDone& done) const {
  try {
    // Every plugin a 3.x core loads has consume_event (SDK 2.1, kept by
    // 3.0); a sink that overrides only consume() gets there by default.
    sink.object->consume_event(std::move(event), done);
  } catch (const std::exception& e) {
    log_->error("event sink '{}' threw: {}", sink.plugin, e.what());
    done(SinkResult::unavailable(std::string("threw: ") + e.what()));
  } catch (...) {
    log_->error("event sink '{}' threw a non-standard exception", sink.plugin);
    done(SinkResult::unavailable("threw a non-standard exception"));
  }
}

void EventBus::conclude(const std::shared_ptr<Job>& job, SinkRound& round) {
  if (round.failures.empty()) {
    finish(job, {IngestResult::Status::Accepted, {}});
    return;
  }
  IngestResult result{IngestResult::Status::Unavailable, {}, 1};
  EventIdLedger::Failed failed{round.event, {}, round.bytes};
  for (const auto& [sink, failure] : round.failures) {
    // No room anywhere outweighs "not now": the fix is to free space.
    if (failure.status == SinkResult::Status::StorageFull) result.status = IngestResult::Status::StorageFull;
    result.retry_after_s = std::max(result.retry_after_s, failure.retry_after_s);
    result.error += (result.error.empty() ? "" : "; ") + sink + " could not keep the event: " +
                    (failure.reason.empty() ? std::string("no reason given") : failure.reason);
    failed.sinks.push_back(sink);
  }
  finish(job, std::move(result), std::move(failed));
}

void EventBus::finish(const std::shared_ptr<Job>& job, IngestResult result, EventIdLedger::Failed failed) {
  if (job->finished.exchange(true)) return;
  std::vector<IngestDone> waiters;
  if (const std::string& id = job->context.event_id; !id.empty()) {
    if (result.ok())
      waiters = ids_.stored(id);
    else if (result.retry_later() && failed.event)
      waiters = ids_.failed(id, std::move(failed));
    else
      waiters = ids_.forget(id);
  }
  // Senders of the same id that arrived meanwhile learn the same outcome; for
  // them an accepted event is one they sent before.
  IngestResult for_waiters = result;
  if (for_waiters.status == IngestResult::Status::Accepted) for_waiters.status = IngestResult::Status::Duplicate;
  answer(job->done, std::move(result));
  for (const auto& waiter : waiters) answer(waiter, for_waiters);
  --in_flight_;
}

void EventBus::answer(const IngestDone& done, IngestResult result) {
  try {
    done(std::move(result));
  } catch (const std::exception& e) {
    log_->error("ingest completion callback threw: {}", e.what());
  } catch (...) {
    log_->error("ingest completion callback threw a non-standard exception");
  }
}

bool EventBus::wait_idle(std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (in_flight_.load() > 0) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

void EventBus::publish(Event event) {
  if (event.timestamp.empty()) event.timestamp = now_iso8601_utc();
  boost::asio::post(strand_, [this, event = std::move(event)]() {
    std::string channel = event.channel;
    auto json = std::make_shared<const nlohmann::json>(shaped(event, channel));
    history_.push(json);
    deliver(channel, std::make_shared<const std::string>(json->dump()));
  });
}

nlohmann::json EventBus::shaped(const Event& event, std::string& channel) const {
  nlohmann::json json = event.to_json();
  if (filters_) filters_->filter_broadcast(channel, json);
  return json;
}

void EventBus::broadcast(const std::string& channel, const nlohmann::json& payload) {
  if (filters_ && filters_->has_broadcast_filters()) {
    std::string shaped_channel = channel;
    nlohmann::json shaped_payload = payload;
    filters_->filter_broadcast(shaped_channel, shaped_payload);
    deliver(shaped_channel, std::make_shared<const std::string>(shaped_payload.dump()));
    return;
  }
  deliver(channel, std::make_shared<const std::string>(payload.dump()));
}

void EventBus::broadcast_serialized(const std::string& channel, std::shared_ptr<const std::string> text) {
  // Filters reshape JSON: only then is the text parsed back.
  if (filters_ && filters_->has_broadcast_filters()) {
    broadcast(channel, nlohmann::json::parse(*text));
    return;
  }
  deliver(channel, std::move(text));
}

void EventBus::deliver(const std::string& channel, std::shared_ptr<const std::string> payload) {
  Broadcast message{channel, std::move(payload)};
  for (const auto& transport : routes()->transports) {
    strands::run_in_order(*transport.strand, [this, transport, message]() { send(transport, message); });
  }
}

void EventBus::send(const PluginRef<Transport>& transport, const Broadcast& message) const {
  try {
    transport.object->broadcast(message);
  } catch (const std::exception& e) {
    log_->error("transport '{}' threw in broadcast: {}", transport.plugin, e.what());
  } catch (...) {
    log_->error("transport '{}' threw a non-standard exception in broadcast", transport.plugin);
  }
}

HookOutcome normalize_generic(const nlohmann::json& raw, const IngestContext& context,
                              const std::vector<std::string>& handler_names) {
  auto string_at = [&](const nlohmann::json& obj, const char* key) {
    auto it = obj.find(key);
    return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  if (!raw.is_object() || !raw.contains("type") || !raw["type"].is_string() ||
      raw["type"].get<std::string>().empty()) {
    std::string loaded;
    for (const auto& n : handler_names) loaded += (loaded.empty() ? "" : ", ") + n;
    return HookOutcome::rejected(
        "unrecognized event: expected a JSON object with a string \"type\" (generic form) or a "
        "payload a hook handler understands (loaded hook handlers: " +
        (loaded.empty() ? std::string("none") : loaded) + ")");
  }
  if (raw.contains("session_id") && !raw["session_id"].is_string())
    return HookOutcome::rejected("\"session_id\" must be a string");
  Event e;
  e.type = raw["type"].get<std::string>();
  e.subtype = string_at(raw, "subtype");
  if (e.subtype.empty()) e.subtype = string_at(raw, "event");
  e.timestamp = string_at(raw, "timestamp");
  if (e.timestamp.empty()) e.timestamp = context.received_at;
  e.session_id = string_at(raw, "session_id");
  if (e.session_id.empty() && raw.contains("data") && raw["data"].is_object())
    e.session_id = string_at(raw["data"], "session_id");
  e.source = string_at(raw, "source");
  if (e.source.empty()) e.source = context.source;
  e.data = raw.contains("data") ? raw["data"] : raw;
  e.channel = e.type == "system" ? kSystemChannel : kHookChannel;
  return HookOutcome::accepted(std::move(e));
}

}  // namespace hookbroker::core
