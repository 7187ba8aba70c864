// Bounding the text a session keeps from hook payloads (messages, prompts,
// errors): cut at a character boundary, so what is kept stays valid UTF-8.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace hookbroker::sessions {

/// `text` cut to at most `max_chars` characters (UTF-8 code points), with
/// "…" in place of what was cut; unchanged when it fits. 0 keeps nothing.
std::string truncate_chars(std::string_view text, std::size_t max_chars);

/// The first line of `text` (up to a "\n" or "\r"), cut to `max_chars`.
std::string first_line(std::string_view text, std::size_t max_chars);

}  // namespace hookbroker::sessions
