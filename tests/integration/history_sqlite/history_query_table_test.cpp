// Acceptance of HistoryQuery (issue 12, item 3): one table of history
// queries, each asked of both history sources — the real broker answering
// from the core's ring, and the real broker with history_sqlite — over HTTP
// (GET /api/history) and over Socket.IO (get_history with an ack). All four
// answers must be the same and as the table says, errors included. What may
// differ: "source", and the value (not the presence) of next_cursor, which
// each source makes its own way; cursors are followed within one source.
#include <gtest/gtest.h>

#include <map>

#include "history_args.hpp"
#include "plugin_broker.hpp"
#include "socketio_broker.hpp"
#include "socketio_calls.hpp"
#include "wait.hpp"

namespace history_query_table {  // named: the tests are built as one unity file

using namespace plugins_it;
using nlohmann::json;

constexpr int kEvents = 60;

/// Event i: 2026-01-17T12:MM:SS with MM:SS = i seconds, session "sa" for the
/// first half and "sb" after, subtype "third" for every third, else "other".
std::string time_of(int i) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "2026-01-17T12:%02d:%02d.000Z", i / 60, i % 60);
  return buf;
}

json event_of(int i) {
  return {{"type", "test"},
          {"subtype", i % 3 == 0 ? "third" : "other"},
          {"session_id", i < kEvents / 2 ? "sa" : "sb"},
          {"data", {{"n", i}}}};
}

/// A broker and a Socket.IO client on it, holding the same events.
struct Source {
  std::string name;
  std::unique_ptr<PluginBroker> broker;
  std::unique_ptr<sio_it::WsClient> ws;
};

/// What one asking gave, in a form comparable across sources and transports.
struct Answer {
  bool ok = false;
  json page;          ///< ok: the page without source, next_cursor as true/false
  std::string error;  ///< !ok: the message
  std::string cursor; ///< ok: next_cursor's value, "" when null
  std::string raw;    ///< for failure messages
};

Answer normalize(const json& body, bool http_ok, const std::string& raw) {
  Answer a;
  a.raw = raw;
  if (!body.is_object()) {
    a.error = "not a JSON object: " + raw;
    return a;
  }
  if (body.contains("error")) {
    a.error = body["error"].is_string() ? body["error"].get<std::string>() : body["error"].dump();
    return a;
  }
  if (!http_ok) {
    a.error = "HTTP error without {\"error\"}: " + raw;
    return a;
  }
  a.ok = true;
  a.page = body;
  a.page.erase("source");
  const json cursor = body.value("next_cursor", json());
  a.cursor = cursor.is_string() ? cursor.get<std::string>() : "";
  a.page["next_cursor"] = !a.cursor.empty();
  return a;
}

Answer ask_http(Source& s, const std::string& query) {
  const auto r = s.broker->get("/api/history" + std::string(query.empty() ? "" : "?") + query);
  Answer a = normalize(json::parse(r.body, nullptr, false), r.status == 200, std::to_string(r.status) + " " + r.body);
  if (!a.ok && r.status != 400) a.error = "expected 400 for an error, got " + a.raw;
  return a;
}

Answer ask_sio(Source& s, const json& args) {
  const auto ack = emit_with_ack(*s.ws, "get_history", args);
  if (!ack) return normalize(json(), false, "no ack");
  if (!ack->is_array() || ack->size() != 1) return normalize(json(), false, "ack of " + ack->dump());
  return normalize((*ack)[0], true, ack->dump());
}

std::vector<int> numbers(const Answer& a) {
  std::vector<int> out;
  if (a.ok)
    for (const auto& e : a.page["events"]) out.push_back(e["data"]["n"]);
  return out;
}

std::vector<int> range(int from, int to, int step = 1) {
  std::vector<int> out;
  for (int i = from; i <= to; i += step) out.push_back(i);
  return out;
}

/// One row: the request both ways, and what every source must answer.
struct Case {
  std::string name;
  std::optional<std::string> http;  ///< query string; nullopt: Socket.IO only
  std::optional<json> sio;          ///< get_history's args; nullopt: HTTP only
  std::vector<int> events;          ///< expected data.n, oldest first
  bool more = false;                ///< expected: next_cursor not null
  std::string error;                ///< expected error (exact), instead of a page
};

class HistoryQueryTable : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new hbtest::TempDir();
    sources_ = new std::vector<Source>();
    // The heartbeat is left long: neither source lists heartbeats here (the
    // ring keeps none; history_sqlite is told not to store them).
    sources_->push_back({"ring", std::make_unique<PluginBroker>(std::vector<std::string>{}, "30"), nullptr});
    sources_->push_back({"history_sqlite",
                         // max_age_s 0: the events' fixed 2026-01-17 times must not meet a retention pass.
                         std::make_unique<PluginBroker>(history_it::history_at(dir_->file("h.sqlite3")) +
                                                            config("history_sqlite", "store_heartbeats", "false") +
                                                            config("history_sqlite", "max_age_s", "0"),
                                                        "30"),
                         nullptr});
    for (auto& s : *sources_) {
      ASSERT_GT(s.broker->port(), 0) << s.broker->output();
      // Replayed events keep the time they were first sent: both sources hold
      // the same events, to the byte.
      for (int i = 0; i < kEvents; ++i) {
        const auto r = sio_it::http(s.broker->port(), "POST", "/api/events", event_of(i).dump(),
                                    {{"Content-Type", "application/json"},
                                     {"X-Hookbroker-Event-Id", "e" + std::to_string(i)},
                                     {"X-Hookbroker-Replayed", "1"},
                                     {"X-Hookbroker-Sent-At", time_of(i)}});
        ASSERT_EQ(r.status, 204) << s.name << " event " << i << ": " << r.body;
      }
      s.ws = sio_it::connected_ws(s.broker->port());
      ASSERT_TRUE(s.ws) << s.name;
    }
  }
  static void TearDownTestSuite() {
    delete sources_;
    delete dir_;
  }

  /// All four answers of one row: (source, transport) -> answer.
  static std::map<std::string, Answer> ask(const Case& c) {
    std::map<std::string, Answer> out;
    for (auto& s : *sources_) {
      if (c.http) out[s.name + " HTTP"] = ask_http(s, *c.http);
      if (c.sio) out[s.name + " Socket.IO"] = ask_sio(s, *c.sio);
    }
    return out;
  }

  static hbtest::TempDir* dir_;
  static std::vector<Source>* sources_;
};

hbtest::TempDir* HistoryQueryTable::dir_ = nullptr;
std::vector<Source>* HistoryQueryTable::sources_ = nullptr;

const std::string kFields = "history takes limit, type (or event_types), session_id, from, to, cursor";
const std::string kLimitError = "limit must be a whole number from 1 to 1000, got ";

std::vector<Case> table() {
  return {
      // defaults and limit bounds
      {"default limit is 50", "", json::array(), range(10, 59), true, ""},
      {"default, explicit empty args", "limit=", json::array({json::object()}), range(10, 59), true, ""},
      {"limit 1", "limit=1", json::array({{{"limit", 1}}}), {59}, true, ""},
      {"limit as text over Socket.IO", std::nullopt, json::array({{{"limit", "3"}}}), {57, 58, 59}, true, ""},
      {"limit 1000 (the most)", "limit=1000", json::array({{{"limit", 1000}}}), range(0, 59), false, ""},
      {"limit 60: all, no cursor", "limit=60", json::array({{{"limit", 60}}}), range(0, 59), false, ""},
      {"limit 0", "limit=0", json::array({{{"limit", 0}}}), {}, false, kLimitError + "'0'; leave it out for 50"},
      {"limit 1001", "limit=1001", json::array({{{"limit", 1001}}}), {}, false,
       kLimitError + "'1001'; leave it out for 50"},
      {"limit negative", "limit=-5", json::array({{{"limit", -5}}}), {}, false,
       kLimitError + "'-5'; leave it out for 50"},
      {"limit not a number", "limit=lots", json::array({{{"limit", "lots"}}}), {}, false,
       kLimitError + "'lots'; leave it out for 50"},
      {"limit fractional (Socket.IO)", std::nullopt, json::array({{{"limit", 2.5}}}), {}, false,
       "\"limit\" must be a string or a whole number, got 2.5"},
      // types
      {"type", "type=third", json::array({{{"type", "third"}}}), range(0, 59, 3), false, ""},
      {"event_types alias", "event_types=third", json::array({{{"event_types", {"third"}}}}), range(0, 59, 3), false,
       ""},
      {"several types, limit", "type=third,other&limit=5", json::array({{{"type", {"third", "other"}}, {"limit", 5}}}),
       range(55, 59), true, ""},
      {"type matches type too", "type=test&limit=3", json::array({{{"event_types", "test"}, {"limit", 3}}}),
       {57, 58, 59}, true, ""},
      {"type nobody has", "type=nothing", json::array({{{"type", "nothing"}}}), {}, false, ""},
      {"heartbeats: neither source lists any here", "type=heartbeat", json::array({{{"type", "heartbeat"}}}), {},
       false, ""},
      {"type of the wrong JSON type (Socket.IO)", std::nullopt, json::array({{{"type", 3}}}), {}, false,
       "\"type\" must be a string or an array of strings, got 3"},
      // sessions
      {"session", "session_id=sa", json::array({{{"session_id", "sa"}}}), range(0, 29), false, ""},
      {"session and type", "session_id=sa&type=third", json::array({{{"session_id", "sa"}, {"type", "third"}}}),
       range(0, 29, 3), false, ""},
      {"unknown session", "session_id=nobody", json::array({{{"session_id", "nobody"}}}), {}, false, ""},
      // time ranges
      {"from", "from=2026-01-17T12:00:50Z", json::array({{{"from", "2026-01-17T12:00:50Z"}}}), range(50, 59), false,
       ""},
      {"to", "to=2026-01-17T12:00:05.000Z", json::array({{{"to", "2026-01-17T12:00:05.000Z"}}}), range(0, 5), false,
       ""},
      {"from with an offset, to in ms", "from=2026-01-17T13%3A00%3A10%2B01%3A00&to=1768651212000",
       json::array({{{"from", "2026-01-17T13:00:10+01:00"}, {"to", 1768651212000}}}), {10, 11, 12}, false, ""},
      {"time range with type and limit", "from=2026-01-17T12:00:30Z&type=third&limit=2",
       json::array({{{"from", "2026-01-17T12:00:30Z"}, {"type", "third"}, {"limit", 2}}}), {54, 57}, true, ""},
      {"a range with nothing in it", "from=2027-01-01T00:00:00Z", json::array({{{"from", "2027-01-01T00:00:00Z"}}}),
       {}, false, ""},
      {"bad from", "from=yesterday", json::array({{{"from", "yesterday"}}}), {}, false,
       "from 'yesterday' is neither an ISO-8601 time (2026-01-17T12:00:00Z, 2026-01-17T13:00:00.250+01:00) nor "
       "milliseconds since 1970 (1768651200000)"},
      {"bad to", "to=2026-02-30", json::array({{{"to", "2026-02-30"}}}), {}, false,
       "to '2026-02-30' is neither an ISO-8601 time (2026-01-17T12:00:00Z, 2026-01-17T13:00:00.250+01:00) nor "
       "milliseconds since 1970 (1768651200000)"},
      {"from after to", "from=2026-01-17T12:00:10Z&to=2026-01-17T12:00:05Z",
       json::array({{{"from", "2026-01-17T12:00:10Z"}, {"to", "2026-01-17T12:00:05Z"}}}), {}, false,
       "from (2026-01-17T12:00:10Z) is after to (2026-01-17T12:00:05Z): send the earlier time as from"},
      // cursors (paging itself: the tests below)
      {"cursor that is not one", "cursor=abc", json::array({{{"cursor", "abc"}}}), {}, false,
       "cursor must be the next_cursor of a previous page (digits), got 'abc'; leave it out for the newest page"},
      {"cursor older than anything kept", "cursor=1", json::array({{{"cursor", 1}}}), {}, false, ""},
      // unknown and repeated parameters, wrong shapes
      {"unknown parameter", "foo=1", json::array({{{"foo", 1}}}), {}, false, "unknown parameter 'foo': " + kFields},
      {"a near-miss name", "limit=5&types=third", json::array({{{"limit", 5}, {"types", "third"}}}), {}, false,
       "unknown parameter 'types': " + kFields},
      {"a parameter twice (HTTP)", "limit=5&limit=6", std::nullopt, {}, false,
       "parameter 'limit' is given twice: send it once"},
      {"not an object (Socket.IO)", std::nullopt, json::array({"all"}), {}, false,
       "get_history takes one object such as {\"limit\": 50, \"type\": \"pre_tool\", \"session_id\": \"…\", "
       "\"from\": \"2026-01-17T12:00:00Z\", \"cursor\": \"…\"}, or nothing"},
  };
}

TEST_F(HistoryQueryTable, EveryCaseGivesTheSameAnswerFromBothSourcesOverBothTransports) {
  for (const Case& c : table()) {
    SCOPED_TRACE(c.name);
    const auto answers = ask(c);
    const auto& [first_name, first] = *answers.begin();
    for (const auto& [where, a] : answers) {
      if (c.error.empty()) {
        ASSERT_TRUE(a.ok) << where << ": " << a.raw << a.error;
        EXPECT_EQ(numbers(a), c.events) << where << ": " << a.raw;
        EXPECT_EQ(a.page["count"], c.events.size()) << where;
        EXPECT_EQ(a.page["next_cursor"], c.more) << where << ": " << a.raw;
        EXPECT_EQ(a.page, first.page) << where << " and " << first_name;
      } else {
        ASSERT_FALSE(a.ok) << where << ": " << a.raw;
        EXPECT_EQ(a.error, c.error) << where;
      }
    }
  }
}

// Following next_cursor, within each source and transport, walks the same
// pages everywhere and lists every matching event once.
TEST_F(HistoryQueryTable, CursorPagingWalksTheSamePagesEverywhere) {
  struct Paging {
    std::string http;
    json sio;
    std::vector<std::vector<int>> pages;
  };
  const Paging pagings[] = {
      {"limit=25", {{"limit", 25}}, {range(35, 59), range(10, 34), range(0, 9)}},
      {"limit=7&type=third", {{"limit", 7}, {"type", "third"}}, {range(39, 57, 3), range(18, 36, 3), range(0, 15, 3)}},
      {"limit=4&session_id=sb&from=2026-01-17T12:00:40Z",
       {{"limit", 4}, {"session_id", "sb"}, {"from", "2026-01-17T12:00:40Z"}},
       {range(56, 59), range(52, 55), range(48, 51), range(44, 47), range(40, 43)}},
  };
  for (const auto& p : pagings) {
    SCOPED_TRACE(p.http);
    for (auto& s : *sources_) {
      for (const bool over_http : {true, false}) {
        const std::string where = s.name + (over_http ? " HTTP" : " Socket.IO");
        std::vector<std::vector<int>> pages;
        std::string cursor;
        for (int guard = 0; guard < 20; ++guard) {
          json args = p.sio;
          if (!cursor.empty()) args["cursor"] = cursor;
          const Answer a = over_http ? ask_http(s, p.http + (cursor.empty() ? "" : "&cursor=" + cursor))
                                     : ask_sio(s, json::array({args}));
          ASSERT_TRUE(a.ok) << where << ": " << a.raw << a.error;
          pages.push_back(numbers(a));
          if (a.cursor.empty()) break;
          cursor = a.cursor;
        }
        EXPECT_EQ(pages, p.pages) << where;
      }
    }
  }
}

// A cursor from one transport works on the other (same source), and new
// events do not shift a walk already begun.
TEST_F(HistoryQueryTable, ACursorIsTheSourcesOwnAcrossTransportsAndNewEvents) {
  for (auto& s : *sources_) {
    SCOPED_TRACE(s.name);
    const Answer first = ask_http(s, "limit=5&session_id=sa");
    ASSERT_TRUE(first.ok) << first.raw;
    ASSERT_FALSE(first.cursor.empty());
    ASSERT_EQ(sio_it::http(s.broker->port(), "POST", "/api/events", event_of(1000).dump(),
                           {{"Content-Type", "application/json"}})
                  .status,
              204);
    const Answer next = ask_sio(s, json::array({{{"limit", 5}, {"session_id", "sa"}, {"cursor", first.cursor}}}));
    ASSERT_TRUE(next.ok) << next.raw;
    EXPECT_EQ(numbers(next), range(20, 24));
  }
}

}  // namespace history_query_table
