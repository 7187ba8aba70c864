#include "claude_hook_handler.hpp"

#include "claude_events/event_names.hpp"
#include "hook_input.hpp"
#include "hookbroker/session_tracker.hpp"
#include "prompt_redaction.hpp"
#include "session_effects.hpp"

namespace hookbroker::claude {

namespace {
constexpr std::size_t kMaxUnrecognisedNamesLogged = 64;

/// The node another broker of a cluster put on an event it accepted (what
/// HostApi::ingest_from_node hands over is that broker's broadcast JSON).
std::string origin_node(const nlohmann::json& raw) {
  const auto it = raw.is_object() ? raw.find("node") : raw.end();
  return it != raw.end() && it->is_string() ? it->get<std::string>() : std::string();
}
}

HandlerOptions HandlerOptions::from_config(const nlohmann::json& config) {
  HandlerOptions o;
  o.dedup_window = std::chrono::duration<double>(config.at("dedup_window_s").get<double>());
  o.dedup_max_bytes = config.at("dedup_max_bytes").get<std::size_t>();
  o.redact_prompts = config.at("redact_prompts").get<bool>();
  return o;
}

ClaudeHookHandler::ClaudeHookHandler(HostApi& host, HandlerOptions options)
    : host_(host), redact_prompts_(options.redact_prompts), duplicates_(options.dedup_window, options.dedup_max_bytes) {}

HookOutcome ClaudeHookHandler::handle(const nlohmann::json& raw, const IngestContext& context) {
  HookInput input = read_hook_input(raw);
  if (input.kind == HookInput::Kind::NotMine) return HookOutcome::not_mine();
  if (input.kind == HookInput::Kind::Rejected) return HookOutcome::rejected(input.error);

  // Identity is the bytes as sent; a transport that only has parsed JSON
  // gets its canonical dump (invalid UTF-8 replaced, never thrown on).
  const std::string bytes = !context.raw_bytes.empty()
                                ? context.raw_bytes
                                : raw.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (duplicates_.is_repeat(bytes, DuplicateFilter::Clock::now())) {
    host_.debug("repeated delivery of " + input.subtype + " for session " + input.session_id +
                " within dedup_window_s: counted once");
    return HookOutcome::duplicate();
  }

  if (redact_prompts_) redact_prompts(input.payload);
  if (auto* tracker = host_.sessions()) apply_session_effects(*tracker, input, context.received_at, origin_node(raw));
  if (input.event_name.empty() || claude_events::event_for_subtype(input.event_name).empty())
    note_unrecognised(input.event_name.empty() ? input.subtype : input.event_name);

  Event event;
  event.type = "hook";
  event.subtype = std::move(input.subtype);
  event.timestamp = context.received_at;
  event.session_id = std::move(input.session_id);
  event.source = "hook";
  event.data = std::move(input.payload);
  return HookOutcome::accepted(std::move(event));
}

void ClaudeHookHandler::note_unrecognised(const std::string& name) {
  if (unrecognised_seen_.size() >= kMaxUnrecognisedNamesLogged || !unrecognised_seen_.insert(name).second)
    return;
  host_.info("hook event '" + name +
             "' has no session meaning here: accepted, broadcast, and recorded as session activity");
}

}  // namespace hookbroker::claude
