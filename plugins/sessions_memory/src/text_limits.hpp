// Bounding the text a session keeps from hook payloads (messages, prompts,
// errors): cut at a character boundary, so what is kept stays valid UTF-8.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace hookbroker::sessions {

/// The longest name a session keeps from a payload (agent and tool ids and
/// names, model, title, activity, error type): real ones are far shorter, and
/// the bound keeps a hostile sender from making every kept call megabytes.
inline constexpr std::size_t kNameChars = 256;
/// The longest working directory kept (PATH_MAX).
inline constexpr std::size_t kPathChars = 4096;

/// `text` cut to at most `max_chars` characters (UTF-8 code points), with
/// "…" in place of what was cut; unchanged when it fits. 0 keeps nothing.
std::string truncate_chars(std::string_view text, std::size_t max_chars);

/// The first line of `text` (up to a "\n" or "\r"), cut to `max_chars`.
std::string first_line(std::string_view text, std::size_t max_chars);

}  // namespace hookbroker::sessions
