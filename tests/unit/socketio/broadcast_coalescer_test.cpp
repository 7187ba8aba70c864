// BroadcastCoalescer on a real strand and timer: the window it holds
// broadcasts for follows how long delivering them takes.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <string>
#include <vector>

#include "broadcast_coalescer.hpp"

namespace hookbroker::sio {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

class BroadcastCoalescerTest : public ::testing::Test {
 protected:
  boost::asio::io_context io;
  Strand strand{boost::asio::make_strand(io)};
  std::vector<std::size_t> runs;  ///< broadcasts per delivered run
  Clock::duration delivery_cost{};

  BroadcastCoalescer make(std::chrono::microseconds min, std::chrono::microseconds max) {
    return BroadcastCoalescer(strand, min, max, [this](const OutboundRun& run) {
      runs.push_back(run.texts.size());
      // Stands for the writes to many clients: wall time the strand spends.
      for (const auto until = Clock::now() + delivery_cost; Clock::now() < until;) {
      }
    });
  }

  /// Adds `each` broadcasts every `every` (at least every ~1 ms: the
  /// reactor's clock) for `total`, running the strand between.
  void broadcast_for(BroadcastCoalescer& c, Clock::duration every, Clock::duration total, int each = 4) {
    const auto text = std::make_shared<const std::string>("42[\"claude_event\",{}]");
    for (const auto end = Clock::now() + total; Clock::now() < end;) {
      boost::asio::post(strand, [&] {
        for (int i = 0; i < each; ++i) c.add(text);
      });
      io.run_for(every);
      io.restart();
    }
  }
};

TEST_F(BroadcastCoalescerTest, DeliveriesThatSaturateTheStrandWidenTheWindow) {
  delivery_cost = 2500us;  // every flush keeps the strand busy for 2.5 ms
  auto coalescer = make(1ms, 16ms);
  EXPECT_EQ(coalescer.window(), 1ms);
  broadcast_for(coalescer, 100us, 800ms);
  EXPECT_EQ(coalescer.window(), 16ms);
  // Held together now: a run per window, not one per broadcast.
  ASSERT_GE(runs.size(), 10u);
  EXPECT_GE(*std::max_element(runs.end() - 10, runs.end()), 8u);
}

TEST_F(BroadcastCoalescerTest, CheapDeliveriesAtALowRateKeepTheShortestWindow) {
  auto coalescer = make(1ms, 8ms);
  broadcast_for(coalescer, 5ms, 400ms, 1);
  EXPECT_EQ(coalescer.window(), 1ms);
}

}  // namespace
}  // namespace hookbroker::sio
