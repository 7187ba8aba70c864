// Reading history back: filters, paging, and the errors bad requests get.
#include "history_query.hpp"

#include <gtest/gtest.h>

#include "history_schema.hpp"
#include "history_test_util.hpp"
#include "history_writer.hpp"
#include "temp_dir.hpp"

namespace {

using namespace hookbroker::history;
using hookbroker::HistoryQuery;
using hookbroker::history_time_ms;
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
                         [](const hookbroker::SinkResult&) {});
      }
      writer.add_heartbeat({{"type", "system"}, {"subtype", "heartbeat"}, {"event", "heartbeat"},
                            {"timestamp", "2026-01-17T12:00:05.500Z"}, {"data", {{"total_events", 6}}}});
    }
    reader_ = open_history_reader(dir_.file("h.sqlite3"));
  }
  json run(HistoryQuery q) { return json::parse(run_query(*reader_, q)); }
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
    q.cursor = std::stoull(page["next_cursor"].get<std::string>());
  }
  EXPECT_EQ(all, (std::vector<std::string>{"e0", "e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8", "e9"}));
}

TEST_F(Query, FiltersByTypeSessionAndTimeRange) {
  HistoryQuery q;
  q.types = {"pre_tool"};
  q.session_id = "s1";
  EXPECT_EQ(ids(run(q)), (std::vector<std::string>{"e1", "e3"}));

  HistoryQuery range;
  range.from_ms = history_time_ms("2026-01-17T12:00:02Z");
  range.to_ms = history_time_ms("2026-01-17T13:00:04+01:00");  // 12:00:04Z
  EXPECT_EQ(ids(run(range)), (std::vector<std::string>{"e2", "e3", "e4"}));
  range.from_ms = 1768651203000;  // 12:00:03Z
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

TEST_F(Query, LargePagesAreCutAtTheByteLimitAndContinueOnTheNextPage) {
  HistoryQuery q;
  q.limit = 10;
  const auto page = json::parse(run_query(*reader_, q, 300));
  EXPECT_LT(page["count"], 10);
  EXPECT_GE(page["count"], 1);
  EXPECT_TRUE(page["next_cursor"].is_string());
}

TEST_F(Query, AFullLastPageHasNoCursor) {
  HistoryQuery q;
  q.limit = 10;  // exactly the ten events
  EXPECT_TRUE(run(q)["next_cursor"].is_null());
  q.limit = 9;
  EXPECT_TRUE(run(q)["next_cursor"].is_string());
}

}  // namespace
