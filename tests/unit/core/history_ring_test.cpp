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
