// The journal of accepted event ids that keeps replay exactly-once across a
// broker crash: what each way of recording skips, and compaction (bounded by
// what is still needed, crash-safe).
#include <gtest/gtest.h>

#include <sys/stat.h>

#include "accepted_ids.hpp"
#include "scratch_dir.hpp"

namespace {

using forwarder_test::ScratchDir;
using hookbroker::spool_replay::AcceptedIds;
using Way = AcceptedIds::Way;
using namespace std::chrono_literals;

std::string id(int n) { return forwarder_test::hex_id(n); }

std::uint64_t file_size(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
}

TEST(AcceptedIds, IdsRecordedInOneRunAreKnownInTheNext) {
  ScratchDir scratch;
  {
    AcceptedIds run1(scratch.path(), 1000, 1h);
    std::string error;
    ASSERT_TRUE(run1.open(error)) << error;
    EXPECT_TRUE(run1.record(id(1), Way::Live));
    EXPECT_TRUE(run1.record(id(2), Way::Replayed));
    EXPECT_FALSE(run1.accepted_before(id(1), true));  // this run's ids are the core's business
  }
  AcceptedIds run2(scratch.path(), 1000, 1h);
  std::string error;
  ASSERT_TRUE(run2.open(error));
  EXPECT_EQ(run2.loaded_count(), 2u);
  // Taken live: the broker may have failed it in another sink, answering
  // 503/507, after which the forwarder spools it unmarked. Only a record the
  // forwarder marked "maybe delivered" (no answer came) is skipped.
  EXPECT_TRUE(run2.accepted_before(id(1), true));
  EXPECT_FALSE(run2.accepted_before(id(1), false));
  // Replayed and taken by every sink: skipped whatever the mark.
  EXPECT_TRUE(run2.accepted_before(id(2), true));
  EXPECT_TRUE(run2.accepted_before(id(2), false));
  EXPECT_FALSE(run2.accepted_before(id(3), true));
  EXPECT_EQ(forwarder_test::read_file(run2.current_path()), id(1) + "\n" + id(2) + " r\n");
}

TEST(AcceptedIds, OnlyForwarderIdsAreKept) {
  ScratchDir scratch;
  {
    AcceptedIds run1(scratch.path(), 1000, 1h);
    std::string error;
    ASSERT_TRUE(run1.open(error));
    EXPECT_TRUE(run1.record("client-chosen-id", Way::Live));
    EXPECT_TRUE(run1.record(std::string(32, 'G'), Way::Live));
  }
  EXPECT_EQ(forwarder_test::read_file(scratch / "accepted-ids.log"), "");
}

TEST(AcceptedIds, CompactionKeepsOnlyTheIdsOfSpooledRecordsOnceTheWindowPassed) {
  ScratchDir scratch;
  AcceptedIds ids(scratch.path(), 100000, 0ms);
  std::string error;
  ASSERT_TRUE(ids.open(error));
  for (int i = 0; i < 5000; ++i) ASSERT_TRUE(ids.record(id(i), i % 2 ? Way::Live : Way::Replayed));
  ASSERT_TRUE(ids.compaction_due());
  std::vector<std::string> waiting;
  for (int i = 10; i < 20; ++i) waiting.push_back(id(i));
  waiting.push_back("not-a-forwarder-id");
  ASSERT_TRUE(ids.compact(waiting, error)) << error;
  EXPECT_EQ(ids.journal_count(), 10u);
  EXPECT_LE(file_size(ids.current_path()), 10u * 35);
  EXPECT_FALSE(ids.compaction_due());

  AcceptedIds next(scratch.path(), 100000, 0ms);
  ASSERT_TRUE(next.open(error));
  for (int i = 10; i < 20; ++i) {
    EXPECT_TRUE(next.accepted_before(id(i), true)) << i;
    EXPECT_EQ(next.accepted_before(id(i), false), i % 2 == 0) << "how it was taken survives compaction";
  }
  EXPECT_FALSE(next.accepted_before(id(9), true));
  EXPECT_FALSE(next.accepted_before(id(4999), true));
}

TEST(AcceptedIds, CompactionKeepsIdsWrittenWithinTheWindowAtMostKeep) {
  ScratchDir scratch;
  AcceptedIds ids(scratch.path(), 100, 1h);
  std::string error;
  ASSERT_TRUE(ids.open(error));
  for (int i = 0; i < 350; ++i) ASSERT_TRUE(ids.record(id(i), Way::Live));
  ASSERT_TRUE(ids.compact({}, error)) << error;
  EXPECT_EQ(ids.journal_count(), 100u);
  AcceptedIds next(scratch.path(), 100, 1h);
  ASSERT_TRUE(next.open(error));
  // The newest ids (the ones a crash could leave unanswered) are kept.
  EXPECT_TRUE(next.accepted_before(id(349), true));
  EXPECT_TRUE(next.accepted_before(id(250), true));
  EXPECT_FALSE(next.accepted_before(id(249), true));
}

// The soak that found it: 28,800 events grew the journal to 950 KB.
TEST(AcceptedIds, StaysBoundedByWhatIsNeededUnderASteadyStream) {
  ScratchDir scratch;
  AcceptedIds ids(scratch.path(), 50000, 0ms);
  std::string error;
  ASSERT_TRUE(ids.open(error));
  std::uint64_t largest = 0;
  for (int i = 0; i < 28800; ++i) {
    ASSERT_TRUE(ids.record(id(i), Way::Live));
    if (ids.compaction_due()) {
      ASSERT_TRUE(ids.compact({id(i)}, error)) << error;
    }
    largest = std::max(largest, file_size(ids.current_path()));
  }
  EXPECT_LT(largest, 1100u * 33) << "a compaction once the journal holds 1,024 ids, down to the one still spooled";
}

TEST(AcceptedIds, ACrashDuringCompactionLeavesAWholeJournal) {
  ScratchDir scratch;
  {
    AcceptedIds ids(scratch.path(), 1000, 1h);
    std::string error;
    ASSERT_TRUE(ids.open(error));
    ids.record(id(1), Way::Live);
    ids.record(id(2), Way::Replayed);
  }
  // Killed while writing the compacted copy: it never replaced the journal.
  forwarder_test::write_file(scratch / "accepted-ids.tmp", id(9) + "\n" + id(8).substr(0, 7));
  AcceptedIds after(scratch.path(), 1000, 1h);
  std::string error;
  ASSERT_TRUE(after.open(error));
  EXPECT_TRUE(after.accepted_before(id(1), true));
  EXPECT_TRUE(after.accepted_before(id(2), false));
  EXPECT_FALSE(after.accepted_before(id(9), true)) << "the unfinished copy is not read";
  EXPECT_FALSE(forwarder_test::exists(scratch / "accepted-ids.tmp")) << "and it is removed";
  // Ids recorded after a compaction go into the new journal.
  ASSERT_TRUE(after.compact({}, error)) << error;
  after.record(id(3), Way::Live);
  EXPECT_EQ(forwarder_test::read_file(after.current_path()), id(1) + "\n" + id(2) + " r\n" + id(3) + "\n");
}

TEST(AcceptedIds, TheOldGenerationOfOlderBrokersIsReadAndFoldedIn) {
  ScratchDir scratch;
  forwarder_test::write_file(scratch / "accepted-ids.old", id(1) + "\n");
  forwarder_test::write_file(scratch / "accepted-ids.log", id(2) + "\n");
  AcceptedIds ids(scratch.path(), 1000, 1h);
  std::string error;
  ASSERT_TRUE(ids.open(error));
  EXPECT_TRUE(ids.accepted_before(id(1), true));
  EXPECT_TRUE(ids.accepted_before(id(2), true));
  ASSERT_TRUE(ids.compact({}, error));
  EXPECT_FALSE(forwarder_test::exists(scratch / "accepted-ids.old"));
  EXPECT_EQ(forwarder_test::read_file(ids.current_path()), id(1) + "\n" + id(2) + "\n");
}

TEST(AcceptedIds, ALineCutByACrashIsIgnored) {
  ScratchDir scratch;
  forwarder_test::write_file(scratch / "accepted-ids.log", id(1) + "\n" + id(2).substr(0, 20));
  AcceptedIds ids(scratch.path(), 1000, 1h);
  std::string error;
  ASSERT_TRUE(ids.open(error));
  EXPECT_TRUE(ids.accepted_before(id(1), true));
  EXPECT_FALSE(ids.accepted_before(id(2), true));
}

TEST(AcceptedIds, AnUnwritableDirectoryIsAnErrorThatALaterOpenRecoversFrom) {
  ScratchDir scratch;
  forwarder_test::write_file(scratch / "in-the-way", "");
  const std::string dir = scratch / "in-the-way";
  AcceptedIds ids(dir + "/spool", 1000, 1h);
  std::string error;
  EXPECT_FALSE(ids.open(error));
  EXPECT_FALSE(error.empty());
  EXPECT_FALSE(ids.writable());
  std::string why;
  EXPECT_FALSE(ids.record(id(1), Way::Live, &why));
  EXPECT_FALSE(why.empty());

  ::unlink(dir.c_str());  // the user fixes it
  ASSERT_TRUE(ids.open(error)) << error;
  EXPECT_TRUE(ids.writable());
  EXPECT_TRUE(ids.record(id(2), Way::Live));
  EXPECT_EQ(forwarder_test::read_file(ids.current_path()), id(2) + "\n");
}

}  // namespace
