// Draining the spool: every waiting record is offered, in order, to a
// delivery function (the broker's ingest, or an HTTP POST), several at a time,
// and what is delivered is recorded as done. Crash-safe: progress is only
// recorded for a contiguous prefix of delivered records, and a record whose
// fate is unknown is offered again (its event id lets the receiver drop it).
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>

#include "spool/spool_dir.hpp"

namespace hookbroker::spool {

struct DeliveryResult {
  enum class Kind {
    Delivered,  ///< taken (or recognised as already taken): done with it
    Refused,    ///< the receiver will never take it: moved to rejected.spool
    Retry,      ///< not now (receiver stopping or away): stop draining, keep it
  };
  Kind kind = Kind::Retry;
  std::string detail;  ///< for Refused/Retry: why
};

/// Call exactly once, from any thread.
using DeliveryDone = std::function<void(DeliveryResult)>;

struct DrainHooks {
  /// Offers one record. `record.payload` is only valid during this call.
  std::function<void(const ScannedRecord& record, DeliveryDone done)> deliver;
  /// Optional: true when the record is known to be delivered already (it is
  /// then skipped, counted as delivered).
  std::function<bool(const ScannedRecord& record)> already_delivered;
  /// Optional: checked between records; true stops the drain (records stay).
  std::function<bool()> stop_requested;
  /// Optional: problems worth a warning (damaged records, quarantine).
  std::function<void(const std::string& message)> warn;
};

struct DrainOptions {
  std::size_t window = 1;  ///< records offered before the first one must be answered
  bool wait_for_lock = true;
  /// How long to wait for an offered record's answer before giving up (Retry).
  std::chrono::milliseconds answer_timeout{30000};
};

struct DrainReport {
  std::size_t delivered = 0;  ///< includes skipped
  std::size_t skipped = 0;    ///< already delivered before
  std::size_t refused = 0;
  std::size_t damaged = 0;    ///< damaged byte ranges moved to rejected.spool
  bool locked_out = false;    ///< someone else was draining (wait_for_lock false)
  bool complete = false;      ///< the spool was empty when the drain ended
  std::string stopped_because;
};

/// Drains `dir` until it is empty, a delivery asks to retry, or
/// stop_requested() says so. Blocking; call it off any event loop.
DrainReport drain_spool(const SpoolDir& dir, const DrainHooks& hooks, const DrainOptions& options);

}  // namespace hookbroker::spool
