// The coalescing window's policy, driven with made-up times: it stays short
// while fan-outs leave the transport's thread mostly idle, widens while they
// nearly saturate it, and narrows again when the load falls.
#include <gtest/gtest.h>

#include <cstddef>
#include <vector>

#include "adaptive_window.hpp"

namespace hookbroker::sio {
namespace {

using namespace std::chrono_literals;
using Clock = AdaptiveWindow::Clock;
constexpr auto kOnePeriod = AdaptiveWindow::kPeriod + 1ms;

/// Fan-outs of `busy` each, one every `every`, each of a run of
/// `broadcasts`, for `total`, from `t`. A period closes at the first fan-out
/// that ends past it.
Clock::time_point run(AdaptiveWindow& w, Clock::time_point t, Clock::duration busy, Clock::duration every,
                      Clock::duration total, std::size_t broadcasts = 1) {
  for (const auto end = t + total; t < end; t += every) w.fanned_out(t, t + busy, broadcasts);
  return t;
}

TEST(AdaptiveWindow, StartsAtTheShortestAndStaysThereUnderALightLoad) {
  AdaptiveWindow w(500us, 2000us);
  EXPECT_EQ(w.current().count(), 500);
  // 0.2 ms of fan-out per ms: a fifth of the thread.
  run(w, Clock::time_point{} + 1s, 200us, 1ms, 1s);
  EXPECT_NEAR(w.last_load(), 0.2, 0.01);
  EXPECT_EQ(w.current().count(), 500);
}

TEST(AdaptiveWindow, AModerateLoadKeepsTheWindowItHas) {
  // 0.6 of the thread, 1,000 broadcasts/s: neither saturated nor batched, so
  // no change either way, from the shortest or from the longest.
  AdaptiveWindow w(500us, 2000us);
  run(w, Clock::time_point{} + 1s, 600us, 1ms, 1s);
  EXPECT_EQ(w.current().count(), 500);
  AdaptiveWindow wide(500us, 2000us);
  auto t = run(wide, Clock::time_point{} + 1s, 950us, 1ms, 300ms);
  ASSERT_EQ(wide.current().count(), 2000);
  run(wide, t, 600us, 1ms, 1s);
  EXPECT_EQ(wide.current().count(), 2000);
}

TEST(AdaptiveWindow, ANearlySaturatedThreadWidensItToTheLongestInDoublings) {
  AdaptiveWindow w(500us, 2000us);
  auto t = Clock::time_point{} + 1s;
  t = run(w, t, 900us, 1ms, kOnePeriod);  // one period at 0.9
  EXPECT_EQ(w.current().count(), 1000);
  t = run(w, t, 900us, 1ms, kOnePeriod);
  EXPECT_EQ(w.current().count(), 2000);
  run(w, t, 950us, 1ms, 1s);
  EXPECT_EQ(w.current().count(), 2000) << "never past the configured longest";
}

TEST(AdaptiveWindow, ItNarrowsBackInHalvingsWhenTheLoadFalls) {
  AdaptiveWindow w(500us, 2000us);
  auto t = run(w, Clock::time_point{} + 1s, 900us, 1ms, 300ms);
  ASSERT_EQ(w.current().count(), 2000);
  std::vector<long> seen{static_cast<long>(w.current().count())};
  for (const auto end = t + 1s; t < end; t += 1ms) {  // a tenth of the thread
    w.fanned_out(t, t + 100us, 1);
    if (w.current().count() != seen.back()) seen.push_back(static_cast<long>(w.current().count()));
  }
  EXPECT_EQ(seen, (std::vector<long>{2000, 1000, 500})) << "never below the configured shortest";
}

TEST(AdaptiveWindow, BroadcastsComingThreePerWindowWidenItEvenOnAnIdleThread) {
  // 8,000 broadcasts/s in runs of 8, each fan-out 20 µs (a few clients): the
  // thread is idle, but the clients get batches anyway; a longer hold cuts
  // their writes in proportion.
  AdaptiveWindow w(500us, 2000us);
  auto t = run(w, Clock::time_point{} + 1s, 20us, 1ms, kOnePeriod, 8);
  EXPECT_LT(w.last_load(), 0.05);
  EXPECT_EQ(w.current().count(), 1000);
  run(w, t, 20us, 1ms, 1s, 8);
  EXPECT_EQ(w.current().count(), 2000);
}

TEST(AdaptiveWindow, ItNarrowsBackWhenTheRateFalls) {
  AdaptiveWindow w(500us, 2000us);
  auto t = run(w, Clock::time_point{} + 1s, 20us, 1ms, 300ms, 8);
  ASSERT_EQ(w.current().count(), 2000);
  run(w, t, 20us, 1ms, 1s, 1);  // 1,000 broadcasts/s: two per 2 ms window, under 2 per half
  EXPECT_EQ(w.current().count(), 500);
}

TEST(AdaptiveWindow, ALoneBurstInAQuietPeriodDoesNotWidenIt) {
  AdaptiveWindow w(500us, 2000us);
  auto t = Clock::time_point{} + 1s;
  w.fanned_out(t, t + 20us, 1);
  w.fanned_out(t + 1ms, t + 1ms + 50us, 30);  // 30 broadcasts held together once
  t += 1s;
  w.fanned_out(t, t + 20us, 1);  // closes the period: 32 in a second
  EXPECT_EQ(w.current().count(), 500);
}

TEST(AdaptiveWindow, AQuietSpellCountsAsTheIdleTimeItWas) {
  AdaptiveWindow w(500us, 2000us);
  auto t = run(w, Clock::time_point{} + 1s, 900us, 1ms, 300ms);
  ASSERT_EQ(w.current().count(), 2000);
  // Ten seconds without a broadcast, then one fan-out: that period's share is
  // tiny, so the next burst is held for less.
  t += 10s;
  w.fanned_out(t, t + 900us, 1);
  EXPECT_LT(w.last_load(), 0.01);
  EXPECT_EQ(w.current().count(), 1000);
}

TEST(AdaptiveWindow, EqualBoundsOrAShortestAboveTheLongestMakeAFixedWindow) {
  AdaptiveWindow fixed(2000us, 2000us);
  run(fixed, Clock::time_point{} + 1s, 990us, 1ms, 1s);
  EXPECT_EQ(fixed.current().count(), 2000);
  AdaptiveWindow capped(500us, 300us);  // coalesce_window_us=300 with the default shortest
  EXPECT_EQ(capped.current().count(), 300);
  run(capped, Clock::time_point{} + 1s, 10us, 1ms, 1s);
  EXPECT_EQ(capped.current().count(), 300);
  AdaptiveWindow off(500us, 0us);  // coalesce_window_us=0: each broadcast at once
  EXPECT_EQ(off.current().count(), 0);
}

}  // namespace
}  // namespace hookbroker::sio
