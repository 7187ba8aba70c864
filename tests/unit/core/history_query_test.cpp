// The SDK's HistoryQuery: the same text gives the same query or the same
// error over HTTP and Socket.IO, and both page shapes are one.
#include "hookbroker/history_query.hpp"

#include <gtest/gtest.h>

namespace {

using hookbroker::HistoryPage;
using hookbroker::HistoryQuery;
using hookbroker::HistoryQueryParse;
using hookbroker::parse_history_query;
using nlohmann::json;

HistoryQueryParse http(const std::string& query) {
  hookbroker::HttpRequest r;
  r.method = "GET";
  r.path = "/api/history";
  r.query = query;
  return parse_history_query(r);
}

HistoryQueryParse sio(const json& request) { return parse_history_query(json::array({request})); }

TEST(HistoryQueryParse, DefaultsWhenNothingIsGiven) {
  for (const auto& parsed : {http(""), sio(json::object()), sio(nullptr), parse_history_query(json::array()),
                             parse_history_query(json())}) {
    ASSERT_TRUE(parsed.ok()) << parsed.error;
    EXPECT_EQ(parsed.query->limit, 50u);
    EXPECT_EQ(parsed.query->limit, HistoryQuery::kDefaultLimit);
    EXPECT_TRUE(parsed.query->types.empty());
    EXPECT_TRUE(parsed.query->session_id.empty());
    EXPECT_FALSE(parsed.query->from_ms || parsed.query->to_ms || parsed.query->cursor);
  }
}

TEST(HistoryQueryParse, EveryFieldOverHttp) {
  const auto parsed =
      http("limit=5&type=pre_tool,post_tool&session_id=s%201&from=2026-01-17T12:00:00Z&to=1768651260000&cursor=42");
  ASSERT_TRUE(parsed.ok()) << parsed.error;
  const HistoryQuery& q = *parsed.query;
  EXPECT_EQ(q.limit, 5u);
  EXPECT_EQ(q.types, (std::vector<std::string>{"pre_tool", "post_tool"}));
  EXPECT_EQ(q.session_id, "s 1");
  EXPECT_EQ(*q.from_ms, 1768651200000);
  EXPECT_EQ(*q.to_ms, 1768651260000);
  EXPECT_EQ(*q.cursor, 42u);
}

TEST(HistoryQueryParse, SocketIoTakesTheSameFieldsAndJsonValues) {
  const auto parsed = sio({{"limit", 5},
                           {"event_types", {"pre_tool"}},
                           {"type", "post_tool,stop"},
                           {"session_id", "s 1"},
                           {"from", "2026-01-17T13:00:00+01:00"},
                           {"to", 1768651260000},
                           {"cursor", "42"}});
  ASSERT_TRUE(parsed.ok()) << parsed.error;
  const HistoryQuery& q = *parsed.query;
  EXPECT_EQ(q.limit, 5u);
  EXPECT_EQ(q.types.size(), 3u);  // both names, merged
  EXPECT_EQ(*q.from_ms, 1768651200000);
  EXPECT_EQ(*q.to_ms, 1768651260000);
  EXPECT_EQ(*q.cursor, 42u);
  EXPECT_EQ(sio({{"limit", "7"}}).query->limit, 7u) << "a number as text works too";
  EXPECT_EQ(sio({{"cursor", 9}}).query->cursor, 9u);
  EXPECT_TRUE(sio({{"limit", nullptr}, {"type", nullptr}}).ok()) << "null is absent";
  EXPECT_TRUE(http("limit=&type=&cursor=").ok()) << "an empty value is absent";
}

// One logical request each, sent both ways: the same error, word for word.
TEST(HistoryQueryParse, TheSameErrorsOverHttpAndSocketIo) {
  struct Case {
    const char* http;
    json sio;
    const char* expected;
  };
  const Case cases[] = {
      {"limit=0", {{"limit", 0}}, "limit must be a whole number from 1 to 1000, got '0'; leave it out for 50"},
      {"limit=1001", {{"limit", 1001}}, "limit must be a whole number from 1 to 1000, got '1001'"},
      {"limit=-3", {{"limit", -3}}, "got '-3'"},
      {"limit=ten", {{"limit", "ten"}}, "got 'ten'"},
      {"cursor=abc", {{"cursor", "abc"}}, "cursor must be the next_cursor of a previous page (digits), got 'abc'"},
      {"cursor=1234567890123456789", {{"cursor", "1234567890123456789"}}, "cursor must be"},
      {"from=tomorrow", {{"from", "tomorrow"}}, "from 'tomorrow' is neither an ISO-8601 time (2026-01-17T12:00:00Z"},
      {"to=2026-13-01T00:00:00Z", {{"to", "2026-13-01T00:00:00Z"}}, "to '2026-13-01T00:00:00Z' is neither"},
      {"from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z",
       {{"from", "2026-01-02T00:00:00Z"}, {"to", "2026-01-01T00:00:00Z"}},
       "from (2026-01-02T00:00:00Z) is after to (2026-01-01T00:00:00Z): send the earlier time as from"},
      {"limit=5&types=x", {{"limit", 5}, {"types", "x"}},
       "unknown parameter 'types': history takes limit, type (or event_types), session_id, from, to, cursor"},
      {"type=a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,r,s,t,u",
       {{"type", "a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,r,s,t,u"}},
       "type lists 21 types; ask for at most 20 at a time"},
  };
  for (const auto& c : cases) {
    const auto h = http(c.http), s = sio(c.sio);
    EXPECT_FALSE(h.ok()) << c.http;
    EXPECT_NE(h.error.find(c.expected), std::string::npos) << c.http << " -> " << h.error;
    EXPECT_EQ(h.error, s.error) << c.http << " and " << c.sio.dump();
  }
  const std::string long_id(201, 'x');
  EXPECT_EQ(http("session_id=" + long_id).error, sio({{"session_id", long_id}}).error);
  EXPECT_NE(http("session_id=" + long_id).error.find("session_id is longer than 200 characters"), std::string::npos);
}

TEST(HistoryQueryParse, HttpRefusesAParameterGivenTwice) {
  EXPECT_EQ(http("limit=1&limit=2").error, "parameter 'limit' is given twice: send it once");
}

TEST(HistoryQueryParse, SocketIoSaysWhatShapeToSend) {
  for (const json& args : {json::array({"all"}), json::array({1, 2}), json::array({json::object(), 2}),
                           json("limit")}) {
    const auto parsed = parse_history_query(args);
    EXPECT_FALSE(parsed.ok()) << args.dump();
    EXPECT_EQ(parsed.error.rfind("get_history takes one object such as {\"limit\": 50", 0), 0u) << parsed.error;
  }
  EXPECT_EQ(sio({{"limit", 2.5}}).error, "\"limit\" must be a string or a whole number, got 2.5");
  EXPECT_EQ(sio({{"session_id", true}}).error, "\"session_id\" must be a string or a whole number, got true");
  EXPECT_EQ(sio({{"type", 7}}).error, "\"type\" must be a string or an array of strings, got 7");
  EXPECT_EQ(sio({{"event_types", {"a", 1}}}).error,
            "\"event_types\" must be a string or an array of strings, got [\"a\",1]");
}

TEST(HistoryQueryParse, LimitBoundsAreInclusive) {
  EXPECT_EQ(http("limit=1").query->limit, 1u);
  EXPECT_EQ(http("limit=1000").query->limit, 1000u);
  EXPECT_EQ(http("limit=0001").query->limit, 1u);
}

TEST(HistoryQueryMatch, TypeOrSubtypeSessionAndTime) {
  const json e = {{"type", "hook"}, {"subtype", "pre_tool"}, {"session_id", "s1"},
                  {"timestamp", "2026-01-17T12:00:00.500Z"}};
  HistoryQuery q;
  EXPECT_TRUE(q.matches(e));
  q.types = {"post_tool", "pre_tool"};
  EXPECT_TRUE(q.matches(e));
  q.types = {"hook"};
  EXPECT_TRUE(q.matches(e));
  q.types = {"system"};
  EXPECT_FALSE(q.matches(e));
  q.types.clear();
  q.session_id = "s2";
  EXPECT_FALSE(q.matches(e));
  q.session_id = "s1";
  q.from_ms = 1768651200500;
  q.to_ms = 1768651200500;
  EXPECT_TRUE(q.matches(e)) << "both ends inclusive";
  q.from_ms = 1768651200501;
  EXPECT_FALSE(q.matches(e));
  EXPECT_FALSE(q.matches(json::array()));
}

TEST(HistoryPageShape, JsonAndSplicedTextAreTheSame) {
  HistoryPage page;
  page.source = "store";
  const std::vector<std::string> texts = {R"({"n":1})", R"({"n":2})"};
  json events = json::array({{{"n", 1}}, {{"n", 2}}});
  EXPECT_EQ(json::parse(page.json_text(texts)), page.json(events));
  page.next_cursor = 17;
  const json j = json::parse(page.json_text(texts));
  EXPECT_EQ(j, page.json(events));
  EXPECT_EQ(j["next_cursor"], "17");
  EXPECT_EQ(j["count"], 2);
  EXPECT_EQ(page.json(json())["count"], 0);
}

TEST(SelectHistoryPage, NewestMatchesOldestFirstWithACursorWhenMoreRemain) {
  std::vector<json> events;
  for (int i = 0; i < 6; ++i) events.push_back({{"n", i}, {"type", i % 2 ? "odd" : "even"}});
  HistoryQuery q;
  q.types = {"even"};
  q.limit = 2;
  const auto at = [&](std::size_t i) -> const json& { return events[i]; };
  const auto key = [](std::size_t i) { return static_cast<std::uint64_t>(i + 100); };
  auto page = hookbroker::select_history_page(q, events.size(), at, key, "test");
  EXPECT_EQ(page["events"], json::array({events[2], events[4]}));
  EXPECT_EQ(page["next_cursor"], "102");
  page = hookbroker::select_history_page(q, 2, at, key, "test");
  EXPECT_EQ(page["events"], json::array({events[0]}));
  EXPECT_TRUE(page["next_cursor"].is_null());
}

TEST(SelectHistoryPage, APageIsCutBySizeAndAlwaysHoldsItsNewestEvent) {
  const std::string mib(1 << 20, 'x');
  std::vector<json> events;
  for (int i = 0; i < 10; ++i) events.push_back({{"n", i}, {"pad", mib}});
  HistoryQuery q;
  q.limit = 10;
  const auto at = [&](std::size_t i) -> const json& { return events[i]; };
  const auto key = [](std::size_t i) { return static_cast<std::uint64_t>(i + 1); };
  const auto page = hookbroker::select_history_page(q, events.size(), at, key, "test");
  ASSERT_EQ(page["count"], 3) << "4 MiB holds three events of a little over 1 MiB";
  EXPECT_EQ(page["events"].back()["n"], 9);
  EXPECT_EQ(page["next_cursor"], "8") << "the next page starts below the oldest event of this one";

  events.assign(1, {{"n", 0}, {"pad", std::string(HistoryQuery::kMaxPageBytes + 10, 'y')}});
  const auto huge = hookbroker::select_history_page(q, 1, at, key, "test");
  EXPECT_EQ(huge["count"], 1) << "an event bigger than a page still comes, alone";
  EXPECT_TRUE(huge["next_cursor"].is_null());

  q.limit = 0;  // a caller's "none": nothing picked, no cursor to make up
  EXPECT_EQ(hookbroker::select_history_page(q, 1, at, key, "test")["count"], 0);
}

TEST(NewestWithinBytes, KeepsTheNewestContiguousRunThatFits) {
  json events = json::array();
  for (int i = 0; i < 5; ++i) events.push_back({{"n", i}, {"pad", std::string(100, 'x')}});
  const std::size_t one = events[0].dump().size() + 1;
  EXPECT_EQ(hookbroker::newest_within_bytes(events, 10 * one), events);
  const json two = hookbroker::newest_within_bytes(events, 2 * one + one / 2);
  ASSERT_EQ(two.size(), 2u);
  EXPECT_EQ(two[0]["n"], 3);
  EXPECT_EQ(two[1]["n"], 4);
  EXPECT_TRUE(hookbroker::newest_within_bytes(events, one - 1).empty());

  events[3]["pad"] = std::string(10 * one, 'y');  // too big alone: the run ends there, no gap
  const json after_big = hookbroker::newest_within_bytes(events, 4 * one);
  ASSERT_EQ(after_big.size(), 1u);
  EXPECT_EQ(after_big[0]["n"], 4);
  EXPECT_TRUE(hookbroker::newest_within_bytes(json::object(), 100).empty());
}

}  // namespace
