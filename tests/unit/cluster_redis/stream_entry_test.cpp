#include "stream_entry.hpp"

#include <gtest/gtest.h>

#include "origin_ledger.hpp"

using namespace hookbroker::cluster;

namespace {

RedisReply text(const std::string& s) {
  RedisReply r;
  r.type = RedisReply::Type::String;
  r.text = s;
  return r;
}
RedisReply array(std::vector<RedisReply> items) {
  RedisReply r;
  r.type = RedisReply::Type::Array;
  r.elements = std::move(items);
  return r;
}
RedisReply item(const std::string& id, std::vector<std::string> fields) {
  std::vector<RedisReply> f;
  for (auto& s : fields) f.push_back(text(s));
  return array({text(id), array(std::move(f))});
}

}  // namespace

TEST(StreamEntry, XaddCarriesNodeBootSeqAndEventBoundedByMaxlen) {
  auto args = xadd_command("hb:events", 1000, {"n1", "b1", 7, R"({"type":"x"})"});
  EXPECT_EQ(args, (std::vector<std::string>{"XADD", "hb:events", "MAXLEN", "~", "1000", "*", "node", "n1", "boot",
                                            "b1", "seq", "7", "event", R"({"type":"x"})"}));
}

TEST(StreamEntry, ReadsAnXreadReplyInOrderAndKnowsForeignEntries) {
  auto reply = array({array({text("hb:events"),
                             array({item("1-0", {"node", "n1", "boot", "b", "seq", "1", "event", "{}"}),
                                    item("1-1", {"something", "else"}),
                                    item("2-0", {"node", "n2", "boot", "c", "seq", "x", "event", "{}"})})})});
  auto entries = read_entries(reply);
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].id, "1-0");
  ASSERT_TRUE(entries[0].entry);
  EXPECT_EQ(entries[0].entry->node, "n1");
  EXPECT_EQ(entries[0].entry->seq, 1u);
  EXPECT_FALSE(entries[1].entry) << "not ours";
  EXPECT_FALSE(entries[2].entry) << "a seq that is no number";
  EXPECT_TRUE(read_entries(RedisReply{}).empty()) << "nil: the block timed out";
}

TEST(OriginLedger, TakesEachEventOfARunOnceAndInOrder) {
  OriginLedger ledger;
  EXPECT_TRUE(ledger.take("n1", "b1", 1));
  EXPECT_TRUE(ledger.take("n1", "b1", 2));
  EXPECT_FALSE(ledger.take("n1", "b1", 2)) << "a resend";
  EXPECT_FALSE(ledger.take("n1", "b1", 1)) << "read again from the start";
  EXPECT_TRUE(ledger.take("n1", "b2", 1)) << "a restarted node is a new run";
  EXPECT_TRUE(ledger.take("n2", "b1", 1));
  EXPECT_EQ(ledger.taken(), 4u);
  EXPECT_EQ(ledger.repeats(), 2u);
}
