// The HookHandler for Claude Code hook events: recognises the accepted
// forms, drops repeated deliveries, normalises the event and applies it to
// the session tracker.
#pragma once

#include <chrono>
#include <cstddef>
#include <set>
#include <string>

#include "duplicate_filter.hpp"
#include "hookbroker/config.hpp"
#include "hookbroker/hook_handler.hpp"
#include "hookbroker/host_api.hpp"

namespace hookbroker::claude {

struct HandlerOptions {
  std::chrono::duration<double> dedup_window{};  ///< dedup_window_s; 0 = off
  std::size_t dedup_max_bytes = 0;
  bool redact_prompts = false;  ///< prompt_redaction.hpp

  /// Reads a complete config object: the core filled in table()'s defaults,
  /// their one home (tests: hookbroker::with_defaults(table(), ...)).
  static HandlerOptions from_config(const nlohmann::json& config);
  /// The option table, a constant for the manifest (config.hpp).
  static constexpr auto table() {
    return hookbroker::config_table(
        renamed(ranged_option("dedup_window_s", ConfigType::Number, "2",
                              "Seconds within which a byte-identical hook delivery counts once (0 = off)", 0, 3600),
                "dedup_window"),
        ranged_option("dedup_max_bytes", ConfigType::Int, "8388608",
                      "Memory for remembered payloads; past it the oldest are forgotten early", 0, 1073741824),
        option("redact_prompts", ConfigType::Bool, "false",
               "Replace prompt text (user prompts, subagent task prompts, cron prompts) with \"[redacted]\" "
               "before events are broadcast, stored or kept in sessions"));
  }
};

class ClaudeHookHandler final : public HookHandler {
 public:
  ClaudeHookHandler(HostApi& host, HandlerOptions options);

  /// On the plugin's strand. The event broadcast is
  /// {type:"hook", subtype, timestamp: context.received_at, session_id,
  ///  source:"hook", data: the hook's own JSON}.
  HookOutcome handle(const nlohmann::json& raw, const IngestContext& context) override;

 private:
  /// Says once per name that an event without a special meaning was seen,
  /// so a new Claude Code event shows up in the log without flooding it.
  void note_unrecognised(const std::string& name);

  HostApi& host_;
  const bool redact_prompts_;
  DuplicateFilter duplicates_;
  std::set<std::string> unrecognised_seen_;
};

}  // namespace hookbroker::claude
