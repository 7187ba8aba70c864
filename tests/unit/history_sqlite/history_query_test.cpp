// Reading history back: filters, paging, and the errors bad requests get.
#include "history_query.hpp"

#include <gtest/gtest.h>

#include "history_schema.hpp"
#include "history_test_util.hpp"
#include "history_writer.hpp"
#include "temp_dir.hpp"

namespace {

using namespace hookbroker::history;
using history_test::event;
using nlohmann::json;

class Query : public ::testing::Test {
 protected:
  void SetUp() override {
    {
      HistoryWriter writer(history_test::options(dir_.file("h.sqlite3")), [](bool, const std::string&) {});
      for (int i = 0; i < 10; ++i) {
        const std::string ts = "2026-01-17T12:00:0" + std::to_string(i) + ".000Z";
        writer.add_event(event("e" + std::to_string(i), i % 2 ? "pre_tool" : "post_tool", i < 5 ? "s1" : "s2", ts),
                         [] {});
      }
      writer.add_heartbeat({{"type", "system"}, {"subtype", "heartbeat"}, {"event", "heartbeat"},
                            {"timestamp", "2026-01-17T12:00:05.500Z"}, {"data", {{"total_events", 6}}}});
    }
    reader_ = open_history_reader(dir_.file("h.sqlite3"));
  }
  json run(HistoryQuery q) { return run_query(*reader_, q).to_json(); }
  static std::vector<std::string> ids(const json& page) {
    std::vector<std::string> out;
    for (const auto& e : page["events"]) out.push_back(e.value("event_id", e.value("subtype", "")));
    return out;
  }

  hbtest::TempDir dir_;
  std::unique_ptr<Database> reader_;
};

TEST_F(Query, NewestEventsListedOldestFirstWithoutHeartbeats) {
  HistoryQuery q;
  q.limit = 3;
  const auto page = run(q);
  EXPECT_EQ(ids(page), (std::vector<std::string>{"e7", "e8", "e9"}));
  EXPECT_EQ(page["count"], 3);
  EXPECT_EQ(page["source"], "history_sqlite");
  EXPECT_TRUE(page["next_cursor"].is_string());
  EXPECT_EQ(page["events"][0]["data"]["n"], "e7") << "events come back as stored";
}

TEST_F(Query, CursorPagesBackThroughEverythingOnce) {
  HistoryQuery q;
  q.limit = 4;
  std::vector<std::string> all;
  for (int page_no = 0; page_no < 10; ++page_no) {
    const auto page = run(q);
    auto got = ids(page);
    all.insert(all.begin(), got.begin(), got.end());
    if (page["next_cursor"].is_null()) break;
    q.cursor = std::stoll(page["next_cursor"].get<std::string>());
  }
  EXPECT_EQ(all, (std::vector<std::string>{"e0", "e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8", "e9"}));
}

TEST_F(Query, FiltersByTypeSessionAndTimeRange) {
  HistoryQuery q;
  q.types = {"pre_tool"};
  q.session_id = "s1";
  EXPECT_EQ(ids(run(q)), (std::vector<std::string>{"e1", "e3"}));

  HistoryQuery range;
  range.from = "2026-01-17T12:00:02Z";
  range.to = "2026-01-17T13:00:04+01:00";  // 12:00:04Z
  EXPECT_EQ(ids(run(range)), (std::vector<std::string>{"e2", "e3", "e4"}));
  range.from = "1768651203000";  // ms since 1970: 12:00:03Z
  EXPECT_EQ(ids(run(range)), (std::vector<std::string>{"e3", "e4"}));

  HistoryQuery by_type;
  by_type.types = {"hook"};  // type or subtype
  by_type.limit = 100;
  EXPECT_EQ(run(by_type)["count"], 10);
}

TEST_F(Query, HeartbeatsOnlyWhenAskedFor) {
  HistoryQuery q;
  q.types = {"heartbeat"};
  const auto page = run(q);
  ASSERT_EQ(page["count"], 1);
  EXPECT_EQ(page["events"][0]["data"]["total_events"], 6);
  EXPECT_TRUE(page["next_cursor"].is_null());
}

TEST_F(Query, ABadTimeIsAnInvalidArgumentNamingIt) {
  HistoryQuery q;
  q.from = "last tuesday";
  try {
    run(q);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("from 'last tuesday' is neither an ISO-8601 time"), std::string::npos);
  }
}

TEST_F(Query, LargePagesAreCutAtTheByteLimitAndContinueOnTheNextPage) {
  HistoryQuery q;
  q.limit = 10;
  const auto page = run_query(*reader_, q, 300);
  EXPECT_LT(page.bodies.size(), 10u);
  EXPECT_GE(page.bodies.size(), 1u);
  ASSERT_TRUE(page.next_cursor);
}

TEST(QueryParsing, HttpParameters) {
  hookbroker::HttpRequest r;
  r.query = "limit=5&type=pre_tool,post_tool&session_id=s%201&from=2026-01-01T00:00:00Z&cursor=42";
  const auto parsed = query_from_http(r);
  ASSERT_TRUE(parsed.query) << parsed.error;
  EXPECT_EQ(parsed.query->limit, 5u);
  EXPECT_EQ(parsed.query->types, (std::vector<std::string>{"pre_tool", "post_tool"}));
  EXPECT_EQ(parsed.query->session_id, "s 1");
  EXPECT_EQ(*parsed.query->cursor, 42);
}

TEST(QueryParsing, BadHttpParametersSayWhatIsAllowed) {
  const std::pair<const char*, const char*> cases[] = {
      {"limit=0", "limit must be a whole number from 1 to 1000, got '0'"},
      {"limit=5000", "limit must be a whole number from 1 to 1000"},
      {"limit=ten", "got 'ten'"},
      {"cursor=abc", "cursor must be the next_cursor of a previous page"},
  };
  for (const auto& [query, expected] : cases) {
    hookbroker::HttpRequest r;
    r.query = query;
    const auto parsed = query_from_http(r);
    EXPECT_FALSE(parsed.query) << query;
    EXPECT_NE(parsed.error.find(expected), std::string::npos) << query << ": " << parsed.error;
  }
}

TEST(QueryParsing, SocketIoArgumentsAcceptTheBuiltInNames) {
  auto parsed = query_from_request(json::array({{{"limit", 20}, {"event_types", {"a", "b"}}, {"cursor", "9"}}}));
  ASSERT_TRUE(parsed.query) << parsed.error;
  EXPECT_EQ(parsed.query->limit, 20u);
  EXPECT_EQ(parsed.query->types, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(*parsed.query->cursor, 9);
  EXPECT_TRUE(query_from_request(json::array()).query);
  EXPECT_FALSE(query_from_request(json::array({"all"})).query);
  EXPECT_NE(query_from_request(json::array({{{"limit", 2.5}}})).error.find("\"limit\" must be"), std::string::npos);
  EXPECT_NE(query_from_request(json::array({{{"type", 7}}})).error.find("\"type\" must be a string or an array"),
            std::string::npos);
}

}  // namespace
