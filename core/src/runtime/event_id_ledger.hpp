// What the bus knows of each recent event id, so that a sender's retry (the
// hook forwarder resending after a timeout, a spool replay, a retry after a
// 503) gets an answer that never claims more than is true:
//
//   claim ── new ──▶ InFlight ── every sink stored it ──▶ Stored    retry: Duplicate
//                       │ ───── rejected ─────────────▶ forgotten  retry: a new event
//                       └──── a sink failed it ───────▶ Failed    retry: offered again
//                                                                  to the failed sinks only
//   a claim while InFlight waits for the first attempt's answer (joins it).
//
// A failed event was already counted, kept in the history ring and broadcast;
// its retry must be stored, not answered "duplicate", and not shown to
// clients a second time. So a Failed entry keeps the event as clients saw it
// and the names of the sinks that failed it.
//
// Bounded: `capacity` ids in all; failed entries at most `failed_capacity`
// and `failed_bytes` of events. A failed entry pushed out is forgotten, so
// its retry is then a new event (broadcast again, but stored and never
// answered Duplicate unstored). An entry in flight is never pushed out: its
// waiters must be answered.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "hookbroker/host_api.hpp"

namespace hookbroker::core {

class EventIdLedger {
 public:
  /// A failed event, as kept for its retry.
  struct Failed {
    std::shared_ptr<const nlohmann::json> event;  ///< as clients received it
    std::vector<std::string> sinks;               ///< plugins that did not keep it
    std::size_t bytes = 0;                        ///< its serialized size, for the bound
  };
  struct Claim {
    enum class Kind {
      New,     ///< never seen (or forgotten): ingest it
      Stored,  ///< accepted and stored before: a duplicate
      Joined,  ///< in flight: the waiter is answered with the first attempt's outcome
      Retry,   ///< failed before: offer `failed.event` to `failed.sinks` again
    };
    Kind kind = Kind::New;
    Failed failed;
  };

  EventIdLedger(std::size_t capacity, std::size_t failed_capacity, std::size_t failed_bytes)
      : capacity_(capacity), failed_capacity_(failed_capacity), failed_bytes_limit_(failed_bytes) {}

  /// Claims `id` for an ingest. On Joined, `waiter` was moved into the ledger.
  Claim claim(const std::string& id, IngestDone& waiter);
  /// The attempt in flight ended: every sink kept the event.
  std::vector<IngestDone> stored(const std::string& id);
  /// The attempt in flight ended with the event not accepted: forget the id.
  std::vector<IngestDone> forget(const std::string& id);
  /// The attempt in flight ended with sinks failing the event.
  std::vector<IngestDone> failed(const std::string& id, Failed failed);

  std::size_t size() const;
  std::size_t failed_count() const;

 private:
  enum class State { InFlight, Stored, Failed };
  struct Entry {
    State state = State::InFlight;
    std::uint64_t seq = 0;       ///< matches its current place in order_
    std::uint64_t fail_seq = 0;  ///< matches its current place in failed_order_
    std::vector<IngestDone> waiters;
    Failed failed;
  };
  using Mark = std::pair<std::string, std::uint64_t>;

  std::vector<IngestDone> settle(const std::string& id, State state, Failed failed);
  void drop_failed_data(Entry& entry);
  void evict();
  void evict_failed();

  const std::size_t capacity_;
  const std::size_t failed_capacity_;
  const std::size_t failed_bytes_limit_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  std::deque<Mark> order_;         ///< every claim, oldest first (stale marks are skipped)
  std::deque<Mark> failed_order_;  ///< every failure, oldest first (stale marks are skipped)
  std::size_t failed_count_ = 0;
  std::size_t failed_bytes_ = 0;
  std::uint64_t next_seq_ = 0;
};

}  // namespace hookbroker::core
