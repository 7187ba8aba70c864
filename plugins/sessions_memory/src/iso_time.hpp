// Reading the ISO-8601 timestamps events carry back into clock values.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace hookbroker::sessions {

/// Parses "YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)" (what hookbroker and
/// Python's isoformat() write). A missing zone is taken as UTC. Returns
/// nullopt for anything else, so a sender's odd clock format never throws.
std::optional<std::chrono::system_clock::time_point> parse_iso8601(const std::string& text);

}  // namespace hookbroker::sessions
