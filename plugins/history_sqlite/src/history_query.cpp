#include "history_query.hpp"

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

namespace hookbroker::history {

std::string run_query(Database& reader, const HistoryQuery& q, std::size_t max_bytes) {
  const bool ranged = q.from_ms || q.to_ms;
  std::string sql = "SELECT seq, body FROM events WHERE ";
  // "+kind" keeps the planner from walking the time index when no time
  // range is asked for: newest-first by seq is then the cheap order.
  sql += q.wants_heartbeats() ? "1" : ranged ? "kind = 'event'" : "+kind = 'event'";
  int next = 1;
  std::vector<std::pair<int, std::string>> texts;
  std::vector<std::pair<int, std::int64_t>> numbers;
  if (!q.types.empty()) {
    std::string list;
    for (const auto& t : q.types) {
      list += (list.empty() ? "?" : ",?") + std::to_string(next);
      texts.emplace_back(next++, t);
    }
    sql += " AND (type IN (" + list + ") OR subtype IN (" + list + "))";
  }
  if (!q.session_id.empty()) {
    sql += " AND session_id = ?" + std::to_string(next);
    texts.emplace_back(next++, q.session_id);
  }
  if (q.from_ms) {
    sql += " AND ts_ms >= ?" + std::to_string(next);
    numbers.emplace_back(next++, *q.from_ms);
  }
  if (q.to_ms) {
    sql += " AND ts_ms <= ?" + std::to_string(next);
    numbers.emplace_back(next++, *q.to_ms);
  }
  if (q.cursor) {
    sql += " AND seq < ?" + std::to_string(next);
    numbers.emplace_back(next++, static_cast<std::int64_t>(std::min<std::uint64_t>(*q.cursor, INT64_MAX)));
  }
  // One row more than the page: whether anything older matches.
  sql += " ORDER BY seq DESC LIMIT ?" + std::to_string(next);
  numbers.emplace_back(next, static_cast<std::int64_t>(q.limit) + 1);

  Statement s = reader.prepare(sql);
  for (const auto& [i, t] : texts) s.bind(i, t);
  for (const auto& [i, n] : numbers) s.bind(i, n);
  std::vector<std::string> bodies;
  HistoryPage page;
  page.source = "history_sqlite";
  std::size_t bytes = 0;
  std::int64_t oldest = 0;
  while (s.step()) {
    const std::string_view body = s.column_text(1);
    if (bodies.size() == q.limit || (!bodies.empty() && bytes + body.size() > max_bytes)) {
      page.next_cursor = static_cast<std::uint64_t>(oldest);  // the rest comes with the next page
      break;
    }
    bytes += body.size();
    oldest = s.column_int64(0);
    bodies.emplace_back(body);
  }
  std::reverse(bodies.begin(), bodies.end());
  return page.json_text(bodies);
}

}  // namespace hookbroker::history
