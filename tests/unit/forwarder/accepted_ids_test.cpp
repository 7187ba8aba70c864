// The journal of accepted event ids that keeps replay exactly-once across a
// broker crash.
#include <gtest/gtest.h>

#include "accepted_ids.hpp"
#include "scratch_dir.hpp"

namespace {

using forwarder_test::ScratchDir;
using hookbroker::spool_replay::AcceptedIds;

std::string id(int n) { return forwarder_test::hex_id(n); }

TEST(AcceptedIds, IdsRecordedInOneRunAreKnownInTheNext) {
  ScratchDir scratch;
  {
    AcceptedIds run1(scratch.path(), 1000);
    std::string error;
    ASSERT_TRUE(run1.open(error)) << error;
    run1.record(id(1));
    run1.record(id(2));
    EXPECT_FALSE(run1.accepted_before(id(1)));  // this run's ids are the core's business
  }
  AcceptedIds run2(scratch.path(), 1000);
  std::string error;
  ASSERT_TRUE(run2.open(error));
  EXPECT_TRUE(run2.accepted_before(id(1)));
  EXPECT_TRUE(run2.accepted_before(id(2)));
  EXPECT_FALSE(run2.accepted_before(id(3)));
  EXPECT_EQ(run2.loaded_count(), 2u);
}

TEST(AcceptedIds, OnlyForwarderIdsAreKept) {
  ScratchDir scratch;
  {
    AcceptedIds run1(scratch.path(), 1000);
    std::string error;
    ASSERT_TRUE(run1.open(error));
    run1.record("client-chosen-id");
    run1.record(std::string(32, 'G'));
  }
  EXPECT_EQ(forwarder_test::read_file(scratch / "accepted-ids.log"), "");
}

TEST(AcceptedIds, TwoGenerationsBoundTheJournal) {
  ScratchDir scratch;
  {
    AcceptedIds run1(scratch.path(), 100);
    std::string error;
    ASSERT_TRUE(run1.open(error));
    for (int i = 0; i < 350; ++i) run1.record(id(i));
  }
  AcceptedIds run2(scratch.path(), 100);
  std::string error;
  ASSERT_TRUE(run2.open(error));
  // The newest ids (the ones a crash could leave unanswered) are kept.
  EXPECT_TRUE(run2.accepted_before(id(349)));
  EXPECT_TRUE(run2.accepted_before(id(250)));
  EXPECT_FALSE(run2.accepted_before(id(10)));
  EXPECT_LE(run2.loaded_count(), 200u);
}

TEST(AcceptedIds, ALineCutByACrashIsIgnored) {
  ScratchDir scratch;
  forwarder_test::write_file(scratch / "accepted-ids.log", id(1) + "\n" + id(2).substr(0, 20));
  AcceptedIds ids(scratch.path(), 1000);
  std::string error;
  ASSERT_TRUE(ids.open(error));
  EXPECT_TRUE(ids.accepted_before(id(1)));
  EXPECT_FALSE(ids.accepted_before(id(2)));
}

}  // namespace
