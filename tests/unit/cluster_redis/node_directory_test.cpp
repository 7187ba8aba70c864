#include "node_directory.hpp"

#include <gtest/gtest.h>

using namespace hookbroker::cluster;
using namespace std::chrono_literals;

namespace {
RedisReply values(std::vector<std::string> texts) {
  RedisReply r;
  r.type = RedisReply::Type::Array;
  for (auto& t : texts) {
    RedisReply v;
    if (!t.empty()) {
      v.type = RedisReply::Type::String;
      v.text = t;
    }
    r.elements.push_back(v);
  }
  return r;
}
}  // namespace

TEST(NodeDirectory, ANodeWhoseKeyExpiredIsLostThenForgotten) {
  NodeDirectory directory;
  const auto t0 = NodeDirectory::Clock::now();
  directory.update({"a", "b"}, values({R"({"port":1})", R"({"port":2})"}), t0);
  auto view = directory.view();
  ASSERT_EQ(view.size(), 2u);
  EXPECT_EQ(view[0]["node_id"], "a");
  EXPECT_EQ(view[0]["state"], "up");
  EXPECT_EQ(view[0]["port"], 1);

  directory.update({"a", "b"}, values({R"({"port":1})", ""}), t0 + 1s);
  view = directory.view();
  EXPECT_EQ(view[1]["state"], "lost");
  EXPECT_EQ(view[1]["port"], 2) << "its last announcement stays";
  EXPECT_EQ(directory.lost(), std::vector<std::string>{"b"});
  EXPECT_TRUE(directory.long_lost(t0 + 2s, 5s).empty());
  directory.update({"a", "b"}, values({R"({"port":1})", ""}), t0 + 3s);
  EXPECT_EQ(directory.long_lost(t0 + 7s, 5s), std::vector<std::string>{"b"}) << "lost since t0+1s, not t0+3s";

  directory.update({"a"}, values({R"({"port":1})"}), t0 + 8s);
  EXPECT_EQ(directory.view().size(), 1u) << "taken out of the set";
}
