#include "runtime/recent_ids.hpp"

#include <gtest/gtest.h>

using hookbroker::core::RecentIds;

TEST(RecentIds, SecondClaimOfAnIdIsARepeat) {
  RecentIds ids(10);
  EXPECT_TRUE(ids.claim("a"));
  EXPECT_FALSE(ids.claim("a"));
  ids.release("a");
  EXPECT_TRUE(ids.claim("a"));
}

TEST(RecentIds, ForgetsTheOldestBeyondCapacity) {
  RecentIds ids(2);
  EXPECT_TRUE(ids.claim("a"));
  EXPECT_TRUE(ids.claim("b"));
  EXPECT_TRUE(ids.claim("c"));
  EXPECT_TRUE(ids.claim("a"));  // aged out
  EXPECT_FALSE(ids.claim("c"));
}
