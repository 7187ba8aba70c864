#include "history_query.hpp"

#include <algorithm>
#include <stdexcept>

#include "history_schema.hpp"

namespace hookbroker::history {
namespace {

constexpr std::size_t kMaxLimit = 1000;
constexpr std::size_t kMaxFilterText = 200;

bool all_digits(const std::string& s) {
  return !s.empty() && s.size() <= 18 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    const std::size_t end = std::min(s.find(',', start), s.size());
    if (end > start) out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

/// Checks the fields shared by both entry points; "" when fine.
std::string check(HistoryQuery& q, const std::string& limit, const std::string& cursor) {
  if (!limit.empty()) {
    if (!all_digits(limit) || std::stoull(limit) < 1 || std::stoull(limit) > kMaxLimit)
      return "limit must be a whole number from 1 to " + std::to_string(kMaxLimit) + ", got '" + limit + "'";
    q.limit = std::stoull(limit);
  }
  if (!cursor.empty()) {
    if (!all_digits(cursor)) return "cursor must be the next_cursor of a previous page, got '" + cursor + "'";
    q.cursor = std::stoll(cursor);
  }
  if (q.types.size() > 20) return "type lists at most 20 types";
  for (const std::string* text : {&q.session_id, &q.from, &q.to})
    if (text->size() > kMaxFilterText) return "a filter value is longer than " + std::to_string(kMaxFilterText) + " characters";
  for (const auto& t : q.types)
    if (t.size() > kMaxFilterText) return "a type is longer than " + std::to_string(kMaxFilterText) + " characters";
  return {};
}

/// A JSON scalar as query text: numbers as digits, strings as they are.
bool scalar_text(const nlohmann::json& v, std::string& out) {
  if (v.is_null()) return true;
  if (v.is_string()) out = v.get<std::string>();
  else if (v.is_number_unsigned() || v.is_number_integer()) out = std::to_string(v.get<long long>());
  else return false;
  return true;
}

std::int64_t to_millis(Database& db, const char* name, const std::string& text) {
  if (all_digits(text)) return std::stoll(text);
  Statement s = db.prepare("SELECT " + iso_to_millis_sql("?1"));
  s.bind(1, text);
  if (!s.step() || s.column_is_null(0))
    throw std::invalid_argument(std::string(name) + " '" + text +
                                "' is neither an ISO-8601 time (2026-01-17T12:00:00Z) nor milliseconds since 1970");
  return s.column_int64(0);
}

}  // namespace

ParsedQuery query_from_http(const HttpRequest& request) {
  ParsedQuery parsed;
  HistoryQuery q;
  q.types = split_commas(request.query_param("type"));
  q.session_id = request.query_param("session_id");
  q.from = request.query_param("from");
  q.to = request.query_param("to");
  parsed.error = check(q, request.query_param("limit"), request.query_param("cursor"));
  if (parsed.error.empty()) parsed.query = std::move(q);
  return parsed;
}

ParsedQuery query_from_request(const nlohmann::json& args) {
  ParsedQuery parsed;
  HistoryQuery q;
  const nlohmann::json request = args.is_array() && !args.empty() ? args.front() : nlohmann::json::object();
  if (request.is_null()) {
    parsed.query = q;
    return parsed;
  }
  if (!request.is_object()) {
    parsed.error = "get_history takes an object such as {\"limit\": 100, \"type\": \"pre_tool\"}";
    return parsed;
  }
  std::string limit, cursor;
  for (const auto& [key, target] : std::vector<std::pair<const char*, std::string*>>{
           {"limit", &limit}, {"cursor", &cursor}, {"session_id", &q.session_id}, {"from", &q.from}, {"to", &q.to}}) {
    const auto it = request.find(key);
    if (it != request.end() && !scalar_text(*it, *target)) {
      parsed.error = std::string("\"") + key + "\" must be a string or a whole number";
      return parsed;
    }
  }
  // The built-in get_history says "event_types"; "type" as over HTTP works too.
  for (const char* key : {"type", "event_types"}) {
    const auto it = request.find(key);
    if (it == request.end() || it->is_null()) continue;
    if (it->is_string()) {
      for (auto& t : split_commas(it->get<std::string>())) q.types.push_back(std::move(t));
    } else if (it->is_array() && std::all_of(it->begin(), it->end(), [](const auto& t) { return t.is_string(); })) {
      for (const auto& t : *it) q.types.push_back(t.get<std::string>());
    } else {
      parsed.error = std::string("\"") + key + "\" must be a string or an array of strings";
      return parsed;
    }
  }
  parsed.error = check(q, limit, cursor);
  if (parsed.error.empty()) parsed.query = std::move(q);
  return parsed;
}

std::string HistoryPage::to_json_text() const {
  std::string out = "{\"events\":[";
  std::size_t size = 64;
  for (const auto& b : bodies) size += b.size() + 1;
  out.reserve(size);
  for (std::size_t i = 0; i < bodies.size(); ++i) {
    if (i) out += ',';
    out += bodies[i];
  }
  out += "],\"count\":" + std::to_string(bodies.size()) + ",\"next_cursor\":" +
         (next_cursor ? "\"" + std::to_string(*next_cursor) + "\"" : std::string("null")) +
         ",\"source\":\"history_sqlite\"}";
  return out;
}

HistoryPage run_query(Database& reader, const HistoryQuery& q, std::size_t max_bytes) {
  const bool heartbeats = std::find(q.types.begin(), q.types.end(), "heartbeat") != q.types.end();
  const bool ranged = !q.from.empty() || !q.to.empty();
  std::string sql = "SELECT seq, body FROM events WHERE ";
  // "+kind" keeps the planner from walking the time index when no time
  // range is asked for: newest-first by seq is then the cheap order.
  sql += heartbeats ? "1" : ranged ? "kind = 'event'" : "+kind = 'event'";
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
  if (!q.from.empty()) {
    sql += " AND ts_ms >= ?" + std::to_string(next);
    numbers.emplace_back(next++, to_millis(reader, "from", q.from));
  }
  if (!q.to.empty()) {
    sql += " AND ts_ms <= ?" + std::to_string(next);
    numbers.emplace_back(next++, to_millis(reader, "to", q.to));
  }
  if (q.cursor) {
    sql += " AND seq < ?" + std::to_string(next);
    numbers.emplace_back(next++, *q.cursor);
  }
  sql += " ORDER BY seq DESC LIMIT ?" + std::to_string(next);
  numbers.emplace_back(next, static_cast<std::int64_t>(q.limit));

  Statement s = reader.prepare(sql);
  for (const auto& [i, t] : texts) s.bind(i, t);
  for (const auto& [i, n] : numbers) s.bind(i, n);
  HistoryPage page;
  std::size_t bytes = 0;
  std::int64_t oldest = 0;
  bool truncated = false;
  while (s.step()) {
    const std::string_view body = s.column_text(1);
    if (!page.bodies.empty() && bytes + body.size() > max_bytes) {
      truncated = true;  // the rest comes with the next page
      break;
    }
    bytes += body.size();
    oldest = s.column_int64(0);
    page.bodies.emplace_back(body);
  }
  if (truncated || page.bodies.size() == q.limit) page.next_cursor = oldest;
  std::reverse(page.bodies.begin(), page.bodies.end());
  return page;
}

}  // namespace hookbroker::history
