#include "builtin_history.hpp"

#include <cstdint>
#include <limits>

namespace hookbroker::sio {
namespace {

/// 56 bits of FNV-1a over the event's JSON: at most 17 digits, so it is a
/// cursor HistoryQuery accepts.
std::uint64_t event_key(const nlohmann::json& event) {
  std::uint64_t h = 1469598103934665603ull;
  for (const unsigned char c : event.dump()) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h & ((std::uint64_t{1} << 56) - 1);
}

}  // namespace

nlohmann::json builtin_history_page(const HostApi& host, const HistoryQuery& query) {
  // Every event of the ring that passes the type and session filters (the
  // ring holds history.size events at most); from/to and the cursor here.
  const nlohmann::json events = host.history(std::numeric_limits<std::size_t>::max(), query.types, query.session_id);
  if (!events.is_array()) return HistoryPage{std::nullopt, "memory"}.json(nlohmann::json::array());
  std::size_t end = events.size();
  if (query.cursor) {
    end = 0;  // not found: it left the ring, and everything older with it
    for (std::size_t i = events.size(); i-- > 0;)
      if (event_key(events[i]) == *query.cursor) {
        end = i;
        break;
      }
  }
  return select_history_page(
      query, end, [&](std::size_t i) -> const nlohmann::json& { return events[i]; },
      [&](std::size_t i) { return event_key(events[i]); }, "memory");
}

}  // namespace hookbroker::sio
