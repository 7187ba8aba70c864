// hookbroker SDK — EventSink: sees every accepted event (storage, metrics).
#pragma once

#include <functional>
#include <memory>

#include <nlohmann/json.hpp>

namespace hookbroker {

class EventSink {
 public:
  virtual ~EventSink() = default;

  /// Called on the plugin's strand for every accepted event, in order, with
  /// the event as clients receive it. Call `done` once the event is as safe as
  /// this sink makes it (a store: committed to disk); the sender's
  /// acknowledgement (HTTP 204) waits for every sink's `done`. `done` may be
  /// called from any thread, and may be called later (group commit).
  virtual void consume(std::shared_ptr<const nlohmann::json> event,
                       std::function<void()> done) = 0;
};

}  // namespace hookbroker
