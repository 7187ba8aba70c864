#include "replay_runner.hpp"

#include "hookbroker/json_input.hpp"
#include "spool/payload_envelope.hpp"

namespace hookbroker::spool_replay {

ReplayRunner::ReplayRunner(HostApi& host, std::string dir, std::size_t window, std::shared_ptr<AcceptedIds> ids)
    : host_(host), spool_(std::move(dir)), window_(window), ids_(std::move(ids)) {}

void ReplayRunner::request() {
  if (stopping_) return;
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
    return self->ids_->accepted_before(record.meta.event_id);
  };
  hooks.stop_requested = [self]() { return self->stopping_.load(); };
  hooks.warn = [self](const std::string& message) { self->host_.warn(message); };
  spool::DrainOptions options;
  options.window = window_;

  for (;;) {
    again_ = false;
    const spool::DrainReport report = spool::drain_spool(spool_, hooks, options);
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
    } else if (!report.complete && !stopping_) {
      host_.warn("spool drain stopped: " + report.stopped_because + " (will retry)");
    }
    if (stopping_ || !again_) break;
  }
  {
    std::lock_guard<std::mutex> lock(idle_mutex_);
    running_ = false;
  }
  idle_.notify_all();
  // A request that came in after the last pass checked `again_`.
  if (again_.exchange(false)) request();
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
  host_.ingest(std::move(raw), std::move(context), [self = shared_from_this(), done](IngestResult result) {
    using Kind = spool::DeliveryResult::Kind;
    if (result.status != IngestResult::Status::Rejected) {
      done({Kind::Delivered, {}});
    } else if (self->stopping_ || result.error.find("shutting down") != std::string::npos) {
      // The core refuses everything while it shuts down: not the event's fault.
      done({Kind::Retry, result.error});
    } else {
      done({Kind::Refused, result.error});
    }
  });
}

nlohmann::json ReplayRunner::stats() const {
  return {{"pending_bytes", spool_.pending_bytes()},
          {"replayed", replayed_.load()},
          {"skipped_duplicates", skipped_.load()},
          {"refused", refused_.load()},
          {"damaged", damaged_.load()}};
}

}  // namespace hookbroker::spool_replay
