// What hookbroker-hook does with one event: send it to the broker, or keep it
// in the spool when that is not possible, and make sure the spool drains.
//
//   spool empty ── POST /api/events ── 2xx ─────────────────────────── done
//        │                 ├─ 400/422 (not JSON) ── resend wrapped ─┐
//        │                 ├─ 413 (too large) ───── resend cut ─────┤
//        │                 └─ refused / 5xx / no answer ──┐         │ fails
//        │                    (503/507: the broker did not  │         │
//        │                     keep it, e.g. a disk is full)│         │
//        │                                                ▼         ▼
//   spool not empty ─────────────────────────────▶ append to spool ──▶ ask the
//   (earlier events wait: keep their order)          broker to drain (POST
//                                                    /api/spool/drain); if it has
//                                                    no spool_replay plugin,
//                                                    drain it ourselves briefly
#pragma once

#include <cstdint>
#include <string>

#include "broker_client/broker_endpoint.hpp"
#include "hook_log.hpp"
#include "spool/spool_dir.hpp"

namespace hookbroker::hook {

struct ForwarderSettings {
  std::size_t max_input_bytes = 1u << 20;  ///< HOOKBROKER_HOOK_MAX_BYTES
  int stdin_timeout_ms = 1000;             ///< HOOKBROKER_HOOK_STDIN_TIMEOUT_MS
  int broker_timeout_ms = 1000;            ///< HOOKBROKER_HOOK_TIMEOUT_MS
  uint64_t spool_max_bytes = spool::kDefaultMaxSpoolBytes;  ///< HOOKBROKER_SPOOL_MAX_BYTES
  bool spool_fsync = false;                ///< HOOKBROKER_SPOOL_FSYNC=1
  int fallback_drain_ms = 200;             ///< time a hook may spend draining for a broker without spool_replay
  bool debug = false;                      ///< HOOKBROKER_HOOK_DEBUG=1: log every event's fate
  std::string log_path;                    ///< HOOKBROKER_HOOK_LOG, default STATE_DIR/hook.log
};

/// Reads the HOOKBROKER_HOOK_* / HOOKBROKER_SPOOL_* variables; bad values
/// keep the default and are described in `problems`.
ForwarderSettings forwarder_settings(const platform::EnvLookup& env, const broker_client::BrokerEndpoint& endpoint,
                                     std::string& problems);

struct HookEvent {
  std::string id;
  std::string sent_at;
  std::string body;  ///< what goes to the broker (the input, or an envelope)
  std::string raw;   ///< the input as read (for an invalid-input envelope)
};

class Forwarder {
 public:
  Forwarder(broker_client::BrokerEndpoint endpoint, ForwarderSettings settings, HookLog& log);

  /// Delivers or spools `event`. Returns true when the event is safe (in the
  /// broker or in the spool); false only when it was lost (spool full or
  /// unwritable), which is logged.
  bool forward(const HookEvent& event);
  /// After forward() returned false: what was lost and why, and whether the
  /// log took that line (when it did not, nobody knows unless main says so).
  const std::string& loss() const { return lost_; }
  bool loss_logged() const { return lost_logged_; }

 private:
  bool spool_event(const HookEvent& event, const std::string& body, bool maybe_delivered, const std::string& why);
  void ask_broker_to_drain();
  void drain_ourselves();

  broker_client::BrokerEndpoint endpoint_;
  ForwarderSettings settings_;
  HookLog& log_;
  spool::SpoolDir spool_;
  std::string lost_;
  bool lost_logged_ = false;
};

}  // namespace hookbroker::hook
