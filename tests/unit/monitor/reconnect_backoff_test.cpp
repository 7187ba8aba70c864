#include "reconnect_backoff.hpp"

#include <gtest/gtest.h>

namespace hookbroker::monitor {
namespace {

using std::chrono::milliseconds;

TEST(ReconnectBackoff, DoublesFromHalfASecondUpToFive) {
  ReconnectBackoff backoff;
  const milliseconds expected[] = {milliseconds(500), milliseconds(1000), milliseconds(2000), milliseconds(4000),
                                   milliseconds(5000), milliseconds(5000)};
  for (const auto delay : expected) EXPECT_EQ(backoff.next(), delay);
}

TEST(ReconnectBackoff, StartsOverAfterTheBrokerAnswered) {
  ReconnectBackoff backoff;
  backoff.next();
  backoff.next();
  backoff.reset();
  EXPECT_EQ(backoff.next(), milliseconds(500));
}

}  // namespace
}  // namespace hookbroker::monitor
