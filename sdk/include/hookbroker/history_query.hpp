// hookbroker SDK — history queries: one set of fields, defaults, limits and
// errors for every place that answers GET /api/history or the Socket.IO
// get_history request (the transport from the core's ring, history_sqlite
// from disk, any other store a plugin adds). Header-only, so plugins built
// out of tree against the installed SDK use the same rules.
//
// Fields (the same names over HTTP and Socket.IO):
//
//   limit        events per page, 1..1000; default 50 (kDefaultLimit)
//   type         types to keep, matched against an event's type or subtype;
//                HTTP: comma-separated; Socket.IO: a string (comma-separated)
//                or an array of strings. Alias: event_types (the Python
//                server's name). At most 20 types. A store that keeps
//                heartbeats apart from events (history_sqlite) lists them
//                only when "heartbeat" is asked for (wants_heartbeats()).
//   session_id   only this session's events
//   from, to     time range on the event's timestamp, both inclusive:
//                ISO-8601 ("2026-01-17T12:00:00Z", "…12:00:00.250+01:00")
//                or milliseconds since 1970 ("1768651200000")
//   cursor       the next_cursor of the previous page: the page before it
//
// Parameters not listed, a value given twice, or values out of range are
// errors (never silently ignored); the message says what was wrong and what
// to send. An empty HTTP value (`limit=`) or a JSON null counts as absent.
//
// The answer, from every source (HistoryPage::json / HistoryPage::json_text):
//
//   {"events": [...oldest first...], "count": N,
//    "next_cursor": "<digits>" | null, "source": "<store>"}
//
// A page holds the newest matching events older than the cursor. next_cursor
// is null exactly when no older matching event remains (a store may also cut
// a page short by size, and then gives a next_cursor). Cursors are opaque
// and belong to the source that gave them. Errors: HTTP 400 {"error": "..."};
// Socket.IO: the ack's first argument is {"error": "..."}.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "hookbroker/http.hpp"
#include "hookbroker/time.hpp"

namespace hookbroker {

struct HistoryQuery {
  /// One default for every source. 50: what the built-in history (and the
  /// Python server before it) always gave; history_sqlite gave 100 before
  /// HistoryQuery, and clients that want more send limit.
  static constexpr std::size_t kDefaultLimit = 50;
  static constexpr std::size_t kMaxLimit = 1000;
  static constexpr std::size_t kMaxTypes = 20;
  static constexpr std::size_t kMaxText = 200;  ///< per type, session_id, time text
  static constexpr std::size_t kMaxCursorDigits = 18;
  /// A page stops growing once its events' JSON would pass this many bytes
  /// (its first event is always kept, whatever its size) and gives a
  /// next_cursor for the rest: a page travels as one Socket.IO message, and
  /// a client's send queue (transport_socketio's send_queue_bytes, 8 MiB by
  /// default) must hold it.
  static constexpr std::size_t kMaxPageBytes = std::size_t{4} << 20;

  std::size_t limit = kDefaultLimit;
  std::vector<std::string> types;       ///< empty: every type
  std::string session_id;               ///< empty: every session
  std::optional<std::int64_t> from_ms;  ///< inclusive, ms since 1970
  std::optional<std::int64_t> to_ms;    ///< inclusive
  std::optional<std::uint64_t> cursor;  ///< a source's next_cursor

  bool wants_heartbeats() const { return std::find(types.begin(), types.end(), "heartbeat") != types.end(); }

  /// Whether `event` (a normalized event as clients get it) passes the type,
  /// session and time filters; the cursor is the source's business.
  bool matches(const nlohmann::json& event) const;

  /// Whether `event_ms` (the event's time, ms since 1970; nullopt when its
  /// timestamp is unreadable) is within from/to.
  bool in_range(std::optional<std::int64_t> event_ms) const {
    if (!from_ms && !to_ms) return true;
    if (!event_ms) return false;
    return (!from_ms || *event_ms >= *from_ms) && (!to_ms || *event_ms <= *to_ms);
  }
};

/// A parsed query, or why there is none.
struct HistoryQueryParse {
  std::optional<HistoryQuery> query;
  std::string error;  ///< when !query: for the 400 body or the ack, as is
  bool ok() const { return query.has_value(); }
};

/// Milliseconds since 1970 of a timestamp as events carry it (see
/// parse_iso8601); nullopt when unreadable.
inline std::optional<std::int64_t> history_time_ms(std::string_view iso) {
  const auto when = parse_iso8601(iso);
  if (!when) return std::nullopt;
  return std::chrono::duration_cast<std::chrono::milliseconds>(when->time_since_epoch()).count();
}

inline bool HistoryQuery::matches(const nlohmann::json& event) const {
  if (!event.is_object()) return false;
  const auto text = [&](const char* key) -> std::string_view {
    const auto it = event.find(key);
    return it != event.end() && it->is_string() ? std::string_view(it->get_ref<const std::string&>())
                                                : std::string_view();
  };
  if (!session_id.empty() && text("session_id") != session_id) return false;
  const std::string_view type = text("type"), subtype = text("subtype");
  if (!types.empty() &&
      std::none_of(types.begin(), types.end(), [&](const std::string& t) { return t == type || t == subtype; }))
    return false;
  if (from_ms || to_ms) return in_range(history_time_ms(text("timestamp")));
  return true;
}

namespace history_detail {

/// The query's fields as text, gathered from HTTP or Socket.IO, before checking.
struct RawFields {
  std::optional<std::string> limit, session_id, from, to, cursor;
  std::vector<std::string> types;
  bool any_type = false;
};

inline constexpr const char* kFieldList = "limit, type (or event_types), session_id, from, to, cursor";

inline bool all_digits(std::string_view s, std::size_t max_digits) {
  return !s.empty() && s.size() <= max_digits &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

inline void add_types(std::string_view list, std::vector<std::string>& out) {
  std::size_t start = 0;
  while (start <= list.size()) {
    const std::size_t comma = list.find(',', start);
    const std::size_t end = comma == std::string_view::npos ? list.size() : comma;
    if (end > start) out.emplace_back(list.substr(start, end - start));
    start = end + 1;
  }
}

inline std::string shown_value(std::string_view value) {
  std::string shown(value.substr(0, 60));
  if (value.size() > 60) shown += "…";
  return "'" + shown + "'";
}

/// from/to: ISO-8601 or ms since 1970; "" when fine.
inline std::string read_time(const char* name, const std::string& text, std::optional<std::int64_t>& out) {
  if (all_digits(text, 15)) {
    out = std::stoll(text);
    return {};
  }
  if (text.size() <= HistoryQuery::kMaxText) out = history_time_ms(text);
  if (out) return {};
  return std::string(name) + " " + shown_value(text) +
         " is neither an ISO-8601 time (2026-01-17T12:00:00Z, 2026-01-17T13:00:00.250+01:00) nor milliseconds "
         "since 1970 (1768651200000)";
}

/// The checks both entry points share: the same text gives the same query
/// or the same error, whichever way it came.
inline HistoryQueryParse check(RawFields raw) {
  HistoryQueryParse parsed;
  HistoryQuery q;
  const auto fail = [&](std::string message) {
    parsed.error = std::move(message);
    return parsed;
  };
  if (raw.limit) {
    const std::string& limit = *raw.limit;
    if (!all_digits(limit, 9) || std::stoul(limit) < 1 || std::stoul(limit) > HistoryQuery::kMaxLimit)
      return fail("limit must be a whole number from 1 to " + std::to_string(HistoryQuery::kMaxLimit) + ", got " +
                  shown_value(limit) + "; leave it out for " + std::to_string(HistoryQuery::kDefaultLimit));
    q.limit = std::stoul(limit);
  }
  if (raw.types.size() > HistoryQuery::kMaxTypes)
    return fail("type lists " + std::to_string(raw.types.size()) + " types; ask for at most " +
                std::to_string(HistoryQuery::kMaxTypes) + " at a time");
  for (const auto& t : raw.types)
    if (t.size() > HistoryQuery::kMaxText)
      return fail("a type is longer than " + std::to_string(HistoryQuery::kMaxText) + " characters: " + shown_value(t));
  q.types = std::move(raw.types);
  if (raw.session_id) {
    if (raw.session_id->size() > HistoryQuery::kMaxText)
      return fail("session_id is longer than " + std::to_string(HistoryQuery::kMaxText) + " characters");
    q.session_id = *raw.session_id;
  }
  if (raw.from) {
    if (auto e = read_time("from", *raw.from, q.from_ms); !e.empty()) return fail(e);
  }
  if (raw.to) {
    if (auto e = read_time("to", *raw.to, q.to_ms); !e.empty()) return fail(e);
  }
  if (q.from_ms && q.to_ms && *q.from_ms > *q.to_ms)
    return fail("from (" + *raw.from + ") is after to (" + *raw.to + "): send the earlier time as from");
  if (raw.cursor) {
    if (!all_digits(*raw.cursor, HistoryQuery::kMaxCursorDigits))
      return fail("cursor must be the next_cursor of a previous page (digits), got " + shown_value(*raw.cursor) +
                  "; leave it out for the newest page");
    q.cursor = std::stoull(*raw.cursor);
  }
  parsed.query = std::move(q);
  return parsed;
}

enum class Field { Limit, Type, SessionId, From, To, Cursor, Unknown };

inline Field field_named(std::string_view name) {
  if (name == "limit") return Field::Limit;
  if (name == "type" || name == "event_types") return Field::Type;
  if (name == "session_id") return Field::SessionId;
  if (name == "from") return Field::From;
  if (name == "to") return Field::To;
  if (name == "cursor") return Field::Cursor;
  return Field::Unknown;
}

inline std::optional<std::string>* scalar_slot(RawFields& raw, Field f) {
  switch (f) {
    case Field::Limit: return &raw.limit;
    case Field::SessionId: return &raw.session_id;
    case Field::From: return &raw.from;
    case Field::To: return &raw.to;
    case Field::Cursor: return &raw.cursor;
    default: return nullptr;
  }
}

inline std::string unknown(std::string_view name) {
  return "unknown parameter " + shown_value(name) + ": history takes " + kFieldList;
}

inline std::string twice(std::string_view name) { return "parameter " + shown_value(name) + " is given twice: send it once"; }

}  // namespace history_detail

/// GET /api/history?limit=&type=&session_id=&from=&to=&cursor=
inline HistoryQueryParse parse_history_query(const HttpRequest& request) {
  using namespace history_detail;
  RawFields raw;
  std::vector<std::string> seen;
  std::size_t pos = 0;
  const std::string& query = request.query;
  while (pos < query.size()) {
    std::size_t end = query.find('&', pos);
    if (end == std::string::npos) end = query.size();
    const std::string_view pair(query.data() + pos, end - pos);
    pos = end + 1;
    if (pair.empty()) continue;
    const std::size_t eq = pair.find('=');
    const std::string name = HttpRequest::decode(std::string(pair.substr(0, eq)));
    const std::string value = eq == std::string_view::npos ? std::string() : HttpRequest::decode(std::string(pair.substr(eq + 1)));
    const Field field = field_named(name);
    HistoryQueryParse parsed;
    if (field == Field::Unknown) {
      parsed.error = unknown(name);
      return parsed;
    }
    if (std::find(seen.begin(), seen.end(), name) != seen.end()) {
      parsed.error = twice(name);
      return parsed;
    }
    seen.push_back(name);
    if (value.empty()) continue;  // "limit=" is no limit
    if (field == Field::Type)
      add_types(value, raw.types);
    else
      *scalar_slot(raw, field) = value;
  }
  return check(std::move(raw));
}

/// get_history's argument array: nothing, [null], or [{limit, type |
/// event_types, session_id, from, to, cursor}]. Numbers are taken as their
/// digits (limit: 20 and "20" alike).
inline HistoryQueryParse parse_history_query(const nlohmann::json& args) {
  using namespace history_detail;
  HistoryQueryParse parsed;
  const auto fail = [&](std::string message) {
    parsed.error = std::move(message);
    return parsed;
  };
  static const std::string kShape =
      "get_history takes one object such as {\"limit\": 50, \"type\": \"pre_tool\", \"session_id\": \"…\", "
      "\"from\": \"2026-01-17T12:00:00Z\", \"cursor\": \"…\"}, or nothing";
  if (!args.is_null() && !args.is_array()) return fail(kShape);
  if (args.is_null() || args.empty() || (args.size() == 1 && args[0].is_null())) return check({});
  if (args.size() > 1 || !args[0].is_object()) return fail(kShape);
  RawFields raw;
  for (auto it = args[0].begin(); it != args[0].end(); ++it) {
    const std::string& name = it.key();
    const nlohmann::json& value = it.value();
    const Field field = field_named(name);
    if (field == Field::Unknown) return fail(unknown(name));
    if (value.is_null()) continue;
    if (field == Field::Type) {
      if (value.is_string()) {
        add_types(value.get_ref<const std::string&>(), raw.types);
      } else if (value.is_array() &&
                 std::all_of(value.begin(), value.end(), [](const nlohmann::json& t) { return t.is_string(); })) {
        for (const auto& t : value) raw.types.push_back(t.get<std::string>());
      } else {
        return fail("\"" + name + "\" must be a string or an array of strings, got " + value.dump().substr(0, 60));
      }
      continue;
    }
    std::string text;
    if (value.is_string())
      text = value.get<std::string>();
    else if (value.is_number_unsigned())
      text = std::to_string(value.get<std::uint64_t>());
    else if (value.is_number_integer())
      text = std::to_string(value.get<std::int64_t>());
    else
      return fail("\"" + name + "\" must be a string or a whole number, got " + value.dump().substr(0, 60));
    if (!text.empty()) *scalar_slot(raw, field) = std::move(text);
  }
  return check(std::move(raw));
}

/// One page of history, as every source answers it.
struct HistoryPage {
  std::optional<std::uint64_t> next_cursor;
  std::string source;  ///< e.g. "memory", "history_sqlite"

  nlohmann::json json(nlohmann::json events) const {
    if (!events.is_array()) events = nlohmann::json::array();
    const std::size_t count = events.size();
    return {{"events", std::move(events)},
            {"count", count},
            {"next_cursor", next_cursor ? nlohmann::json(std::to_string(*next_cursor)) : nlohmann::json()},
            {"source", source}};
  }

  /// The same page spliced from events kept as JSON text (one object each),
  /// without parsing them.
  std::string json_text(const std::vector<std::string>& event_texts) const {
    std::size_t size = 96 + source.size();
    for (const auto& e : event_texts) size += e.size() + 1;
    std::string out;
    out.reserve(size);
    out += "{\"events\":[";
    for (std::size_t i = 0; i < event_texts.size(); ++i) {
      if (i) out += ',';
      out += event_texts[i];
    }
    out += "],\"count\":" + std::to_string(event_texts.size()) + ",\"next_cursor\":" +
           (next_cursor ? "\"" + std::to_string(*next_cursor) + "\"" : std::string("null")) +
           ",\"source\":" + nlohmann::json(source).dump() + "}";
    return out;
  }
};

/// The page `query` selects from an in-memory list of events, for stores that
/// keep events in order (oldest first): `size` events, `at(i)` the i-th
/// (0 = oldest, a const nlohmann::json&), `key(i)` its cursor value, and
/// `end` how many of them are older than query.cursor (`size` without one).
/// Walks from the newest down, so a page costs what it skips and holds; cut
/// at query.limit events or HistoryQuery::kMaxPageBytes.
template <class At, class Key>
nlohmann::json select_history_page(const HistoryQuery& query, std::size_t end, At&& at, Key&& key,
                                   const std::string& source) {
  std::vector<std::size_t> picked;
  HistoryPage page;
  page.source = source;
  std::size_t bytes = 0;
  for (std::size_t i = end; i-- > 0;) {
    if (!query.matches(at(i))) continue;
    const std::size_t size = at(i).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).size();
    if (picked.size() == query.limit || (!picked.empty() && bytes + size > HistoryQuery::kMaxPageBytes)) {
      if (!picked.empty()) page.next_cursor = key(picked.back());  // limit 0 picks nothing
      break;
    }
    bytes += size;
    picked.push_back(i);
  }
  nlohmann::json events = nlohmann::json::array();
  for (auto it = picked.rbegin(); it != picked.rend(); ++it) events.push_back(at(*it));
  return page.json(std::move(events));
}

/// The newest of `events` (oldest first, as pages hold them) whose JSON
/// together stays within `max_bytes`, oldest first: what a one-off message
/// such as the `history` a Socket.IO client gets on connect may carry
/// without tripping the client's send-queue bound. Keeps a contiguous run of
/// the newest events, so a client never sees a gap; an event that alone is
/// larger than `max_bytes` ends the run (newer ones are kept).
inline nlohmann::json newest_within_bytes(nlohmann::json events, std::size_t max_bytes) {
  if (!events.is_array()) return nlohmann::json::array();
  std::size_t bytes = 0, keep = 0;
  for (std::size_t i = events.size(); i-- > 0; ++keep) {
    bytes += events[i].dump(-1, ' ', false, nlohmann::json::error_handler_t::replace).size() + 1;
    if (bytes > max_bytes) break;
  }
  if (keep < events.size()) events.erase(events.begin(), events.end() - static_cast<std::ptrdiff_t>(keep));
  return events;
}

}  // namespace hookbroker
