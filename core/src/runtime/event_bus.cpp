#include "runtime/event_bus.hpp"

#include <thread>

#include <boost/asio/post.hpp>

#include "hookbroker/time.hpp"

namespace hookbroker::core {

struct EventBus::Job {
  nlohmann::json raw;
  IngestContext context;
  IngestDone done;
  std::shared_ptr<const BusRoutes> routes;
  std::atomic<bool> finished{false};
};

EventBus::EventBus(boost::asio::io_context& io, std::size_t history_size,
                   std::shared_ptr<spdlog::logger> log)
    : io_(io),
      strand_(boost::asio::make_strand(io)),
      log_(std::move(log)),
      history_(history_size),
      recent_ids_(100000),
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

void EventBus::ingest(nlohmann::json raw, IngestContext context, IngestDone done) {
  if (closed_) {
    done({IngestResult::Status::Rejected, "the broker is shutting down; send the event again later"});
    return;
  }
  if (context.received_at.empty()) context.received_at = now_iso8601_utc();
  if (!context.event_id.empty() && !recent_ids_.claim(context.event_id)) {
    done({IngestResult::Status::Duplicate, {}});
    return;
  }
  ++in_flight_;
  auto job = std::make_shared<Job>();
  job->raw = std::move(raw);
  job->context = std::move(context);
  job->done = std::move(done);
  job->routes = routes();
  run_handler(std::move(job), 0);
}

void EventBus::run_handler(std::shared_ptr<Job> job, std::size_t index) {
  if (index >= job->routes->handlers.size()) {
    std::vector<std::string> names;
    for (const auto& h : job->routes->handlers) names.push_back(h.plugin);
    HookOutcome outcome = normalize_generic(job->raw, job->context, names);
    if (outcome.verdict == HookOutcome::Verdict::Accepted) {
      boost::asio::post(strand_, [this, job, event = std::move(outcome.event)]() mutable {
        accept(job, std::move(event));
      });
    } else {
      finish(job, {IngestResult::Status::Rejected, outcome.error});
    }
    return;
  }
  const auto& handler = job->routes->handlers[index];
  boost::asio::post(*handler.strand, [this, job, index, handler]() mutable {
    HookOutcome outcome;
    try {
      outcome = handler.object->handle(job->raw, job->context);
    } catch (const std::exception& e) {
      log_->error("hook handler '{}' threw on an event: {}; the event goes to the next handler",
                  handler.plugin, e.what());
    } catch (...) {
      log_->error("hook handler '{}' threw a non-standard exception; the event goes to the next handler",
                  handler.plugin);
    }
    switch (outcome.verdict) {
      case HookOutcome::Verdict::NotMine:
        run_handler(job, index + 1);
        break;
      case HookOutcome::Verdict::Accepted:
        boost::asio::post(strand_, [this, job, event = std::move(outcome.event)]() mutable {
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

void EventBus::accept(std::shared_ptr<Job> job, Event event) {
  if (event.timestamp.empty()) event.timestamp = job->context.received_at;
  if (event.source.empty()) event.source = job->context.source;
  if (job->context.replayed) event.extra["replayed"] = true;
  if (!job->context.event_id.empty()) event.extra["event_id"] = job->context.event_id;
  ++total_events_;
  auto json = std::make_shared<const nlohmann::json>(event.to_json());
  history_.push(json);
  deliver(event.channel, std::make_shared<const std::string>(json->dump()));

  const auto& sinks = job->routes->sinks;
  if (sinks.empty()) {
    finish(job, {IngestResult::Status::Accepted, {}});
    return;
  }
  // The sender's acknowledgement waits until every sink made the event durable.
  auto pending = std::make_shared<std::atomic<std::size_t>>(sinks.size());
  auto one_done = [this, job, pending]() {
    if (pending->fetch_sub(1) == 1) finish(job, {IngestResult::Status::Accepted, {}});
  };
  for (const auto& sink : sinks) {
    boost::asio::post(*sink.strand, [this, sink, json, one_done]() {
      try {
        sink.object->consume(json, one_done);
      } catch (const std::exception& e) {
        log_->error("event sink '{}' threw: {}", sink.plugin, e.what());
        one_done();
      } catch (...) {
        log_->error("event sink '{}' threw a non-standard exception", sink.plugin);
        one_done();
      }
    });
  }
}

void EventBus::finish(const std::shared_ptr<Job>& job, IngestResult result) {
  if (job->finished.exchange(true)) return;
  if (result.status == IngestResult::Status::Rejected && !job->context.event_id.empty())
    recent_ids_.release(job->context.event_id);
  try {
    job->done(std::move(result));
  } catch (const std::exception& e) {
    log_->error("ingest completion callback threw: {}", e.what());
  } catch (...) {
    log_->error("ingest completion callback threw a non-standard exception");
  }
  --in_flight_;
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
    auto json = std::make_shared<const nlohmann::json>(event.to_json());
    history_.push(json);
    deliver(event.channel, std::make_shared<const std::string>(json->dump()));
  });
}

void EventBus::broadcast(const std::string& channel, const nlohmann::json& payload) {
  deliver(channel, std::make_shared<const std::string>(payload.dump()));
}

void EventBus::deliver(const std::string& channel, std::shared_ptr<const std::string> payload) {
  Broadcast message{channel, std::move(payload)};
  for (const auto& transport : routes()->transports) {
    boost::asio::post(*transport.strand, [this, transport, message]() {
      try {
        transport.object->broadcast(message);
      } catch (const std::exception& e) {
        log_->error("transport '{}' threw in broadcast: {}", transport.plugin, e.what());
      } catch (...) {
        log_->error("transport '{}' threw a non-standard exception in broadcast", transport.plugin);
      }
    });
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
