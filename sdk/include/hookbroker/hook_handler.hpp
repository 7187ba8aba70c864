// hookbroker SDK — HookHandler: turns a raw incoming event into a normalized
// Event and the session operations it implies.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "hookbroker/event.hpp"

namespace hookbroker {

struct HookOutcome {
  enum class Verdict {
    NotMine,    ///< not this handler's format: the core asks the next one
    Accepted,   ///< `event` is counted, stored and broadcast
    Duplicate,  ///< a repeat delivery: answered as accepted, not broadcast again
    Rejected,   ///< this handler's format, but invalid: `error` goes to the sender
  };
  Verdict verdict = Verdict::NotMine;
  Event event;
  std::string error;  ///< what was wrong and what to send instead

  static HookOutcome not_mine() { return {}; }
  static HookOutcome accepted(Event e) { return {Verdict::Accepted, std::move(e), {}}; }
  static HookOutcome duplicate() { return {Verdict::Duplicate, {}, {}}; }
  static HookOutcome rejected(std::string why) { return {Verdict::Rejected, {}, std::move(why)}; }
};

class HookHandler {
 public:
  virtual ~HookHandler() = default;

  /// Called on the plugin's strand for every ingested event, in arrival order.
  /// Apply session changes through HostApi::sessions(). Must not block.
  virtual HookOutcome handle(const nlohmann::json& raw, const IngestContext& context) = 0;
};

}  // namespace hookbroker
