#include "runtime/history_ring.hpp"

#include <gtest/gtest.h>

using hookbroker::core::HistoryRing;

namespace {
std::shared_ptr<const nlohmann::json> ev(int n, const std::string& type, const std::string& session = "") {
  nlohmann::json j = {{"n", n}, {"type", type}, {"subtype", type + "_sub"}};
  if (!session.empty()) j["session_id"] = session;
  return std::make_shared<const nlohmann::json>(j);
}
}  // namespace

TEST(HistoryRing, KeepsTheNewestUpToCapacityOldestFirst) {
  HistoryRing ring(3);
  for (int i = 1; i <= 5; ++i) ring.push(ev(i, "hook"));
  auto all = ring.query(10, {}, "");
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0]["n"], 3);
  EXPECT_EQ(all[2]["n"], 5);
  auto last_two = ring.query(2, {}, "");
  EXPECT_EQ(last_two[0]["n"], 4);
}

TEST(HistoryRing, FiltersByTypeSubtypeAndSession) {
  HistoryRing ring(10);
  ring.push(ev(1, "hook", "a"));
  ring.push(ev(2, "system"));
  ring.push(ev(3, "hook", "b"));
  EXPECT_EQ(ring.query(10, {"system"}, "").size(), 1u);
  EXPECT_EQ(ring.query(10, {"hook_sub"}, "").size(), 2u);
  auto b = ring.query(10, {}, "b");
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0]["n"], 3);
}

TEST(HistoryRing, ZeroCapacityStoresNothing) {
  HistoryRing ring(0);
  ring.push(ev(1, "hook"));
  EXPECT_EQ(ring.size(), 0u);
}

namespace {

std::vector<int> numbers(const nlohmann::json& page) {
  std::vector<int> out;
  for (const auto& e : page["events"]) out.push_back(e["n"]);
  return out;
}

std::shared_ptr<const nlohmann::json> timed(int n, const std::string& ts) {
  return std::make_shared<const nlohmann::json>(
      nlohmann::json{{"n", n}, {"type", "hook"}, {"subtype", "t"}, {"timestamp", ts}});
}

}  // namespace

TEST(HistoryRingPage, HasTheHistoryQueryShape) {
  HistoryRing ring(10);
  for (int i = 1; i <= 3; ++i) ring.push(ev(i, "hook"));
  hookbroker::HistoryQuery q;
  q.limit = 2;
  const auto page = ring.page(q);
  EXPECT_EQ(numbers(page), (std::vector<int>{2, 3}));
  EXPECT_EQ(page["count"], 2);
  EXPECT_EQ(page["source"], "memory");
  EXPECT_EQ(page["next_cursor"], "2") << "the oldest listed event's position; event 1 is older";
  q.limit = 3;
  EXPECT_TRUE(ring.page(q)["next_cursor"].is_null()) << "nothing older: the last page";
}

TEST(HistoryRingPage, CursorPagingStaysExactWhileEventsArriveAndLeave) {
  HistoryRing ring(6);
  for (int i = 1; i <= 6; ++i) ring.push(ev(i, "hook"));
  hookbroker::HistoryQuery q;
  q.limit = 2;
  auto page = ring.page(q);
  EXPECT_EQ(numbers(page), (std::vector<int>{5, 6}));
  // Two newer events push 1 and 2 out; the next page still continues at 4.
  ring.push(ev(7, "hook"));
  ring.push(ev(8, "hook"));
  q.cursor = std::stoull(page["next_cursor"].get<std::string>());
  page = ring.page(q);
  EXPECT_EQ(numbers(page), (std::vector<int>{3, 4}));
  EXPECT_TRUE(page["next_cursor"].is_null()) << "1 and 2 have left the ring";
  q.cursor = 2;  // a cursor to an event that has left
  EXPECT_TRUE(ring.page(q)["events"].empty());
  q.cursor = 1;  // older than anything ever kept
  EXPECT_TRUE(ring.page(q)["events"].empty());
  q.cursor = 1000;  // newer than everything: the newest page
  EXPECT_EQ(numbers(ring.page(q)), (std::vector<int>{7, 8}));
}

TEST(HistoryRingPage, FiltersOnTimeAndCursorTogether) {
  HistoryRing ring(10);
  for (int i = 0; i < 6; ++i) ring.push(timed(i, "2026-01-17T12:00:0" + std::to_string(i) + ".000Z"));
  ring.push(std::make_shared<const nlohmann::json>(nlohmann::json{{"n", 99}, {"timestamp", "yesterday"}}));
  hookbroker::HistoryQuery q;
  q.from_ms = hookbroker::history_time_ms("2026-01-17T12:00:01Z");
  q.to_ms = hookbroker::history_time_ms("2026-01-17T13:00:04+01:00");
  EXPECT_EQ(numbers(ring.page(q)), (std::vector<int>{1, 2, 3, 4})) << "an unreadable time is outside any range";
  q.limit = 3;
  const auto first = ring.page(q);
  EXPECT_EQ(numbers(first), (std::vector<int>{2, 3, 4}));
  q.cursor = std::stoull(first["next_cursor"].get<std::string>());
  EXPECT_EQ(numbers(ring.page(q)), (std::vector<int>{1}));
}
