// Envelopes for hook input that cannot be forwarded as it is: too large, or
// not JSON. Nothing is dropped silently: the event still reaches the broker,
// marked, with as much of the original as is safe to carry.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace hookbroker::spool {

/// Largest slice of an oversized input kept in a truncated envelope: leaves
/// room for JSON escaping under the broker's default 1 MiB body limit.
inline constexpr std::size_t kTruncatedKeepBytes = 256 * 1024;

/// Largest slice of unparseable input kept in an invalid-input envelope.
inline constexpr std::size_t kInvalidInputKeepBytes = 64 * 1024;

/// For input over the size limit. Keeps the Claude Code identity fields
/// (hook_event_name, session_id) when they are found in `prefix`, so the
/// broker still attributes the event to its session, and adds
///   "hookbroker_truncated": {"reason", "kept_bytes", "received_bytes",
///                            "input_complete", "prefix"}
/// Without hook_event_name it is a generic event {type: "hook_forwarder",
/// subtype: "truncated"}. Invalid UTF-8 (a cut character) becomes U+FFFD.
std::string truncated_envelope(std::string_view prefix, uint64_t received_bytes, bool input_complete,
                               const std::string& reason);

/// For input the broker refused as malformed: {type: "hook_forwarder",
/// subtype: "invalid_input", data: {error, raw_bytes, raw (first 64 KiB)}}.
std::string invalid_input_envelope(std::string_view raw, const std::string& error);

/// The string value of a top-level-looking `"key": "value"` pair in possibly
/// truncated JSON text, or "" when absent, cut off or longer than 256 bytes.
/// Claude Code writes these identity fields first, so they survive a cut.
std::string find_string_field(std::string_view text, std::string_view key);

}  // namespace hookbroker::spool
