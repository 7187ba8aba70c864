#include "replay_runner.hpp"

#include <algorithm>

#include "hookbroker/json_input.hpp"
#include "spool/payload_envelope.hpp"

namespace hookbroker::spool_replay {
namespace {

std::int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

ReplayRunner::ReplayRunner(HostApi& host, std::string dir, std::size_t window, std::shared_ptr<AcceptedIds> ids)
    : host_(host), spool_(std::move(dir)), window_(window), ids_(std::move(ids)) {}

std::chrono::milliseconds ReplayRunner::retry_in() const {
  return std::chrono::milliseconds(std::max<std::int64_t>(0, not_before_ms_.load() - steady_ms()));
}

void ReplayRunner::request() {
  if (stopping_ || retry_in().count() > 0) return;
  if (running_.exchange(true)) {
    again_ = true;
    return;
  }
  host_.run_blocking([self = shared_from_this()]() { self->run(); });
}

void ReplayRunner::stop(std::chrono::milliseconds budget) {
  stopping_ = true;
  std::unique_lock<std::mutex> lock(idle_mutex_);
  idle_.wait_for(lock, budget, [this] { return !running_.load(); });
}

void ReplayRunner::run() {
  auto self = shared_from_this();
  spool::DrainHooks hooks;
  hooks.deliver = [self](const spool::ScannedRecord& record, spool::DeliveryDone done) {
    self->deliver(record, std::move(done));
  };
  hooks.already_delivered = [self](const spool::ScannedRecord& record) {
    return self->ids_->accepted_before(record.meta.event_id, record.meta.maybe_delivered);
  };
  hooks.stop_requested = [self]() { return self->stopping_.load(); };
  hooks.warn = [self](const std::string& message) { self->host_.warn(message); };
  spool::DrainOptions options;
  options.window = window_;

  for (;;) {
    again_ = false;
    report(spool::drain_spool(spool_, hooks, options));
    if (stopping_ || !again_ || retry_in().count() > 0) break;
  }
  {
    std::lock_guard<std::mutex> lock(idle_mutex_);
    running_ = false;
  }
  idle_.notify_all();
  // A request that came in after the last pass checked `again_`.
  if (again_.exchange(false)) request();
}

void ReplayRunner::report(const spool::DrainReport& report) {
  replayed_ += report.delivered - report.skipped;
  skipped_ += report.skipped;
  refused_ += report.refused;
  damaged_ += report.damaged;
  if (report.delivered > 0 || report.refused > 0 || report.damaged > 0) {
    host_.info("replayed " + std::to_string(report.delivered - report.skipped) + " spooled event(s) from " +
               spool_.path() +
               (report.skipped ? ", skipped " + std::to_string(report.skipped) + " the broker had already taken" : "") +
               (report.refused ? ", " + std::to_string(report.refused) + " refused" : "") +
               (report.complete ? "; spool empty" : "; stopped: " + report.stopped_because));
  }
  if (!stopping_) note_problem(report.complete ? std::string() : report.stopped_because);
}

void ReplayRunner::note_problem(const std::string& problem) {
  std::string previous;
  {
    std::lock_guard<std::mutex> lock(problem_mutex_);
    if (problem == problem_) return;
    previous = std::exchange(problem_, problem);
  }
  // Once per change, not once per attempt: a spool that cannot be drained is
  // retried at every request.
  if (!problem.empty())
    host_.warn("spool " + spool_.path() + " not drained: " + problem + "; the events stay in the spool and " +
               "the drain is retried");
  else
    host_.info("spool " + spool_.path() + " drains again (it stopped: " + previous + ")");
}

void ReplayRunner::deliver(const spool::ScannedRecord& record, spool::DeliveryDone done) {
  auto parsed = parse_json_input(record.payload);
  nlohmann::json raw;
  if (parsed.ok) {
    raw = std::move(parsed.value);
  } else {
    // The forwarder spools input as it came when the broker is away; what is
    // not JSON is ingested wrapped, as the live path does.
    raw = nlohmann::json::parse(spool::invalid_input_envelope(record.payload, parsed.error));
  }
  IngestContext context;
  context.source = "spool";
  context.received_at = record.meta.sent_at;
  context.replayed = true;
  context.event_id = record.meta.event_id;
  context.raw_bytes = std::string(record.payload);
  host_.ingest(std::move(raw), std::move(context),
               [self = shared_from_this(), done, id = record.meta.event_id](IngestResult result) {
                 using Kind = spool::DeliveryResult::Kind;
                 if (result.ok()) {
                   // Every sink took it: a drain interrupted before its
                   // progress is written must not show it twice.
                   self->ids_->record(id, AcceptedIds::Way::Replayed);
                   done({Kind::Delivered, {}});
                 } else if (self->stopping_ || result.retry_later()) {
                   // Not kept now (an event sink failed it, the broker stops):
                   // it stays in the spool; no drain before the time asked.
                   const auto wait = std::chrono::seconds(std::max<std::uint32_t>(result.retry_after_s, 1));
                   const std::int64_t until = steady_ms() + std::chrono::milliseconds(wait).count();
                   std::int64_t current = self->not_before_ms_.load();
                   while (current < until && !self->not_before_ms_.compare_exchange_weak(current, until)) {
                   }
                   ++self->retries_;
                   done({Kind::Retry, result.error + " (retrying in " + std::to_string(wait.count()) + " s)"});
                 } else {
                   done({Kind::Refused, result.error});
                 }
               });
}

nlohmann::json ReplayRunner::stats() const {
  std::string problem;
  {
    std::lock_guard<std::mutex> lock(problem_mutex_);
    problem = problem_;
  }
  return {{"pending_bytes", spool_.pending_bytes()},
          {"replayed", replayed_.load()},
          {"skipped_duplicates", skipped_.load()},
          {"refused", refused_.load()},
          {"damaged", damaged_.load()},
          {"retries", retries_.load()},
          {"problem", problem}};
}

}  // namespace hookbroker::spool_replay
