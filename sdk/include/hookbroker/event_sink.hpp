// hookbroker SDK — EventSink: sees every accepted event (storage, metrics).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>

#include <nlohmann/json.hpp>

namespace hookbroker {

/// What a sink made of one event (SDK 2.1). The sender's acknowledgement
/// depends on it: HTTP 204 only when every sink said Stored; otherwise 503
/// (Unavailable) or 507 (StorageFull) with a Retry-After, and the sender
/// keeps the event and sends it again.
struct SinkResult {
  enum class Status : std::uint8_t {
    Stored,       ///< as safe as this sink makes it (a store: committed)
    Unavailable,  ///< not now: a full queue, an I/O error, a locked database
    StorageFull,  ///< no room: the disk or a quota is full
  };
  Status status = Status::Stored;
  /// For a failure: what went wrong and what helps, for the log and the
  /// sender (the core adds the plugin's name), e.g. "database or disk is full".
  std::string reason;
  /// For a failure: seconds after which a retry may succeed; 0 = 1 s.
  std::uint32_t retry_after_s = 0;

  bool ok() const { return status == Status::Stored; }
  static SinkResult stored() { return {}; }
  static SinkResult unavailable(std::string reason, std::uint32_t retry_after_s = 1) {
    return {Status::Unavailable, std::move(reason), retry_after_s};
  }
  static SinkResult storage_full(std::string reason, std::uint32_t retry_after_s = 10) {
    return {Status::StorageFull, std::move(reason), retry_after_s};
  }
};

/// Call exactly once, from any thread (later calls are ignored).
using SinkDone = std::function<void(SinkResult)>;

/// A sink overrides one of the two calls below: consume_event() (SDK 2.1,
/// can fail an event) or consume() (the older form, cannot). HOOKBROKER_PLUGIN
/// refuses to compile a sink that overrides neither. The core calls
/// consume_event(); its default forwards to consume(), and consume()'s to
/// consume_event().
class EventSink {
 public:
  virtual ~EventSink() = default;

  /// The older form (SDK 2.0): called, through consume_event()'s default, on
  /// the plugin's strand for every accepted event, in order, with the event as
  /// clients receive it. Call `done` once the event is as safe as this sink
  /// makes it. A sink that can fail to keep an event overrides
  /// consume_event() instead.
  virtual void consume(std::shared_ptr<const nlohmann::json> event, std::function<void()> done) {
    consume_event(std::move(event), [done = std::move(done)](const SinkResult&) { done(); });
  }

  /// SDK 2.1: called on the plugin's strand for every accepted event, in
  /// order, with the event as clients receive it. Call `done` exactly once:
  /// SinkResult::stored() once the event is as safe as this sink makes it (a
  /// store: committed to disk), or a failure when it is not. The sender's
  /// acknowledgement (HTTP 204) waits for every sink. `done` may be called
  /// from any thread, and later (group commit).
  ///
  /// A failed event was already broadcast and counted. When its sender sends
  /// it again under the same event id, the core offers it again only to the
  /// sinks that failed it (not to the others, not to clients): a sink must
  /// take an event it failed as new. An event without an id cannot be told
  /// from a new one, so its retry is a new event everywhere. A sink that
  /// throws fails the event as Unavailable.
  virtual void consume_event(std::shared_ptr<const nlohmann::json> event, SinkDone done) {
    consume(std::move(event), [done = std::move(done)]() { done(SinkResult::stored()); });
  }
};

namespace detail {

/// True when `Sink` overrides consume() or consume_event(): a pointer to an
/// inherited member names the class that declared it.
template <typename Sink>
constexpr bool overrides_a_consume() {
  using Consume = void (EventSink::*)(std::shared_ptr<const nlohmann::json>, std::function<void()>);
  using ConsumeEvent = void (EventSink::*)(std::shared_ptr<const nlohmann::json>, SinkDone);
  return !std::is_same_v<decltype(&Sink::consume), Consume> ||
         !std::is_same_v<decltype(&Sink::consume_event), ConsumeEvent>;
}

}  // namespace detail
}  // namespace hookbroker
