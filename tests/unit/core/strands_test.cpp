// The two rules for handing work to a strand (libs/strands), side by side:
// run_in_order keeps the strand's order and never reenters it;
// run_here_or_post runs a caller's own request in place when the caller is on
// the strand, and leaves every other strand to its own turn.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <string>
#include <vector>

#include "strands/run_here_or_post.hpp"
#include "strands/run_in_order.hpp"

namespace hookbroker::strands {
namespace {

using Strand = boost::asio::strand<boost::asio::io_context::executor_type>;
using Order = std::vector<std::string>;

/// One io_context run on the test's thread, so every order is exact.
struct Handing {
  boost::asio::io_context io;
  Strand strand = boost::asio::make_strand(io);
  Order order;
  bool ran_on_strand = false;

  /// `hand_over(strand, work)` called from `caller`; with `queued_first`,
  /// the caller first posts work of its own to the strand.
  template <class Executor, class HandOver>
  Order from(const Executor& caller, HandOver hand_over, bool queued_first = false) {
    boost::asio::post(caller, [&] {
      if (queued_first) boost::asio::post(strand, [&] { order.push_back("queued first"); });
      hand_over(strand, [&] {
        ran_on_strand = strand.running_in_this_thread();
        order.push_back("handed over");
      });
      order.push_back("returned");
    });
    io.run();
    return order;
  }
};

const auto in_order = [](const Strand& strand, auto work) { run_in_order(strand, std::move(work)); };
const auto here_or_post = [](const Strand& strand, auto work) { run_here_or_post(strand, std::move(work)); };

TEST(RunInOrder, FromOutsideAFreeStrandItRunsBeforeReturning) {
  Handing h;
  EXPECT_EQ(h.from(h.io.get_executor(), in_order), (Order{"handed over", "returned"}));
  EXPECT_TRUE(h.ran_on_strand);
}

TEST(RunInOrder, FromInsideTheStrandItQueuesBehindWhatTheStrandHolds) {
  Handing h;
  EXPECT_EQ(h.from(h.strand, in_order, true), (Order{"returned", "queued first", "handed over"}));
}

TEST(RunHereOrPost, FromInsideTheStrandItRunsInPlaceAheadOfWhatTheStrandHolds) {
  Handing h;
  EXPECT_EQ(h.from(h.strand, here_or_post, true), (Order{"handed over", "returned", "queued first"}));
}

TEST(RunHereOrPost, FromOutsideItIsPostedEvenWhenTheStrandIsFree) {
  Handing h;
  EXPECT_EQ(h.from(h.io.get_executor(), here_or_post), (Order{"returned", "handed over"}));
  EXPECT_TRUE(h.ran_on_strand);
}

TEST(RunHereOrPost, FromAnotherStrandItWaitsForItsOwnStrandsTurn) {
  Handing h;
  const Strand caller = boost::asio::make_strand(h.io);
  EXPECT_EQ(h.from(caller, here_or_post), (Order{"returned", "handed over"}));
  EXPECT_TRUE(h.ran_on_strand);
}

}  // namespace
}  // namespace hookbroker::strands
