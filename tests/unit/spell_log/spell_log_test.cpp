// Spells: the first occurrence starts one, later ones are counted into one
// summary per interval, a quiet interval ends it, and the next occurrence
// starts a new one.
#include "spell_log/spell_log.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace hookbroker::spell_log {
namespace {

using namespace std::chrono_literals;

struct Lines {
  std::vector<std::size_t> summaries;
  std::vector<std::size_t> ended;
  SpellLog::Report report() {
    return {[this](std::size_t n) { summaries.push_back(n); },
            [this](std::size_t total, std::chrono::milliseconds) { ended.push_back(total); }};
  }
};

TEST(SpellLog, StartsCountsSummarisesAndEnds) {
  boost::asio::io_context io;
  Lines lines;
  SpellLog spell(io, 30ms, lines.report());
  EXPECT_TRUE(spell.occurred());
  for (int i = 0; i < 999; ++i) EXPECT_FALSE(spell.occurred());
  io.run_for(1s);  // one summary, then a quiet interval ends the spell
  EXPECT_EQ(lines.summaries, std::vector<std::size_t>{999});
  EXPECT_EQ(lines.ended, std::vector<std::size_t>{1000});
  EXPECT_TRUE(spell.occurred());  // a new spell
}

TEST(SpellLog, ASingleOccurrenceEndsWithoutASummary) {
  boost::asio::io_context io;
  Lines lines;
  SpellLog spell(io, 10ms, lines.report());
  EXPECT_TRUE(spell.occurred());
  io.run_for(1s);
  EXPECT_TRUE(lines.summaries.empty());
  EXPECT_EQ(lines.ended, std::vector<std::size_t>{1});
}

TEST(SpellLog, OccurrencesFromManyThreadsAreAllCounted) {
  boost::asio::io_context io;
  Lines lines;
  SpellLog spell(io, 20ms, lines.report());
  std::atomic<int> starts{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) starts += spell.occurred();
    });
  for (auto& t : threads) t.join();
  io.run_for(1s);
  EXPECT_EQ(starts.load(), 1);
  ASSERT_EQ(lines.ended.size(), 1u);
  EXPECT_EQ(lines.ended[0], 4000u);
}

TEST(SpellLog, ACancelledSpellOutlivedByItsTimerIsHarmless) {
  boost::asio::io_context io;
  Lines lines;
  {
    SpellLog spell(io, 10ms, lines.report());
    spell.occurred();
  }
  io.run_for(100ms);
  EXPECT_TRUE(lines.ended.empty());
  EXPECT_EQ(seconds_text(300ms), "0.3 s");
  EXPECT_EQ(seconds_text(60s), "60 s");
}

}  // namespace
}  // namespace hookbroker::spell_log
