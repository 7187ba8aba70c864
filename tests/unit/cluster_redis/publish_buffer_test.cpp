#include "publish_buffer.hpp"

#include <gtest/gtest.h>

using namespace hookbroker::cluster;

namespace {
StreamEntry entry(std::uint64_t seq) { return {"n", "b", seq, "{}"}; }
}  // namespace

TEST(PublishBuffer, KeepsEntriesUntilConfirmedAndResendsAfterALostConnection) {
  PublishBuffer buffer(10);
  for (std::uint64_t s = 1; s <= 3; ++s) buffer.add(entry(s));
  EXPECT_EQ(buffer.next_to_send()->seq, 1u);
  EXPECT_EQ(buffer.next_to_send()->seq, 2u);
  buffer.confirmed(1);
  EXPECT_EQ(buffer.pending(), 2u);
  EXPECT_EQ(buffer.published(), 1u);
  buffer.resend_unconfirmed();  // 2 was sent, its reply never came
  EXPECT_EQ(buffer.next_to_send()->seq, 2u);
  EXPECT_EQ(buffer.next_to_send()->seq, 3u);
  EXPECT_EQ(buffer.next_to_send(), nullptr);
  buffer.confirmed(3);
  EXPECT_EQ(buffer.pending(), 0u);
  EXPECT_EQ(buffer.published(), 3u);
}

TEST(PublishBuffer, WhenFullDropsTheOldestAndCountsThem) {
  PublishBuffer buffer(2);
  buffer.add(entry(1));
  EXPECT_EQ(buffer.next_to_send()->seq, 1u);  // in flight when dropped
  buffer.add(entry(2));
  buffer.add(entry(3));
  buffer.add(entry(4));
  EXPECT_EQ(buffer.pending(), 2u);
  EXPECT_EQ(buffer.dropped(), 2u);
  EXPECT_EQ(buffer.next_to_send()->seq, 3u);
  buffer.confirmed(1);  // the late reply for a dropped entry changes nothing
  EXPECT_EQ(buffer.pending(), 2u);
}
