// hookbroker SDK — the event type that flows through the bus.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace hookbroker {

/// Broadcast channels (Socket.IO event names) the Python system used; clients
/// subscribe to these names.
inline constexpr const char* kHookChannel = "claude_event";
inline constexpr const char* kSystemChannel = "system_event";

/// A normalized event. Whatever form an event arrived in, the bus carries this
/// shape, and clients receive `to_json()`:
///   {type, subtype, timestamp, session_id?, source, data, ...extra}
struct Event {
  std::string type;        ///< "hook", "system", or a sender's own type
  std::string subtype;     ///< e.g. "pre_tool", "heartbeat"
  std::string timestamp;   ///< UTC ISO-8601 with ms and Z (time.hpp)
  std::string session_id;  ///< empty when the event belongs to no session
  std::string source;      ///< who produced it: "hook", "http", "socketio", "spool", ...
  nlohmann::json data = nlohmann::json::object();   ///< the original payload
  nlohmann::json extra = nlohmann::json::object();  ///< more top-level keys (e.g. "replayed")
  std::string channel = kHookChannel;  ///< broadcast event name

  nlohmann::json to_json() const {
    nlohmann::json j = nlohmann::json::object();
    j["type"] = type;
    j["subtype"] = subtype;
    j["timestamp"] = timestamp;
    if (!session_id.empty()) j["session_id"] = session_id;
    j["source"] = source;
    j["data"] = data;
    for (auto it = extra.begin(); it != extra.end(); ++it) j[it.key()] = it.value();
    return j;
  }
};

/// How an event reached the broker; given to hook handlers with the raw JSON.
struct IngestContext {
  std::string source = "http";  ///< transport-chosen origin tag
  /// ISO-8601 time the event happened as far as the broker knows: when it was
  /// received, or for a replayed event when it was first sent. Handlers use it
  /// as the event's timestamp.
  std::string received_at;
  /// True for events replayed from the hook forwarder's spool; the core marks
  /// the broadcast event with "replayed": true.
  bool replayed = false;
  /// Sender-assigned unique id (e.g. the forwarder's), "" when none; the core
  /// answers a second event with an id it has already accepted and stored as
  /// a Duplicate, and offers a retry of an event an event sink failed to
  /// that sink again (not to clients): see EventSink::consume_event.
  std::string event_id;
  /// Exact bytes as received, when the transport has them (for de-duplication
  /// of identical deliveries); may be empty.
  std::string raw_bytes;
};

/// What became of an ingested event.
struct IngestResult {
  enum class Status {
    Accepted,
    Duplicate,  ///< its event id was accepted (and stored) before
    Rejected,   ///< never acceptable as sent: HTTP 400
    /// SDK 2.1: not kept now (an event sink failed it, the broker is
    /// shutting down): send it again later, under the same event id. HTTP 503.
    Unavailable,
    /// SDK 2.1: an event sink has no room for it (disk full): as
    /// Unavailable, but HTTP 507.
    StorageFull,
  };
  Status status = Status::Accepted;
  /// For Rejected: what was wrong and what to send instead. For Unavailable
  /// and StorageFull: which plugin could not keep it, and why.
  std::string error;
  /// SDK 2.1, for Unavailable and StorageFull: seconds to wait before sending
  /// it again (at least 1; HTTP Retry-After).
  std::uint32_t retry_after_s = 0;

  /// The event is in the broker (accepted now or before).
  bool ok() const { return status == Status::Accepted || status == Status::Duplicate; }
  /// Not kept now; the sender should keep it and send it again later.
  bool retry_later() const { return status == Status::Unavailable || status == Status::StorageFull; }
};

}  // namespace hookbroker
