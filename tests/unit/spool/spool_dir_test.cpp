// The spool directory: appending, the size bound, taking a file aside for
// draining, progress.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include "scratch_dir.hpp"
#include "spool/spool_dir.hpp"

namespace {

using forwarder_test::ScratchDir;
using hookbroker::spool::RecordMeta;
using hookbroker::spool::SpoolDir;

RecordMeta pending_meta(const std::string& id) { return {id, "2026-01-05T10:42:48.123Z", false}; }

TEST(SpoolDir, AppendCreatesTheDirectoryPrivatelyAndMakesEventsPending) {
  ScratchDir scratch;
  SpoolDir spool(scratch / "state/spool");
  EXPECT_FALSE(spool.has_pending());
  const auto result = spool.append(pending_meta("a1"), "{\"x\":1}");
  ASSERT_TRUE(result.ok) << result.error;
  EXPECT_TRUE(spool.has_pending());
  struct stat st;
  ASSERT_EQ(::stat(spool.path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  ASSERT_EQ(::stat(spool.active_path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(forwarder_test::read_file(spool.active_path()), hookbroker::spool::encode_record(pending_meta("a1"), "{\"x\":1}"));
}

TEST(SpoolDir, AppendRefusesWhenTheWaitingBytesWouldPassTheLimit) {
  ScratchDir scratch;
  SpoolDir spool(scratch.path());
  const std::string payload(1000, 'x');
  ASSERT_TRUE(spool.append(pending_meta("a1"), payload, 2500).ok);
  ASSERT_TRUE(spool.append(pending_meta("a2"), payload, 2500).ok);
  const auto full = spool.append(pending_meta("a3"), payload, 2500);
  EXPECT_FALSE(full.ok);
  EXPECT_NE(full.error.find("spool full"), std::string::npos) << full.error;
  EXPECT_NE(full.error.find("HOOKBROKER_SPOOL_MAX_BYTES"), std::string::npos);
}

TEST(SpoolDir, TheLimitCountsTheFileBeingDrainedToo) {
  ScratchDir scratch;
  SpoolDir spool(scratch.path());
  ASSERT_TRUE(spool.append(pending_meta("a1"), std::string(1000, 'x'), 2500).ok);
  std::string error;
  ASSERT_EQ(spool.freeze_active(error), SpoolDir::FreezeResult::Frozen);
  ASSERT_TRUE(spool.append(pending_meta("a2"), std::string(1000, 'x'), 2500).ok);
  EXPECT_FALSE(spool.append(pending_meta("a3"), std::string(1000, 'x'), 2500).ok);
  EXPECT_GT(spool.pending_bytes(), 2000u);
}

TEST(SpoolDir, FreezeMovesEventsAsideSoNewAppendsStartAFreshFile) {
  ScratchDir scratch;
  SpoolDir spool(scratch.path());
  std::string error;
  EXPECT_EQ(spool.freeze_active(error), SpoolDir::FreezeResult::Nothing);
  ASSERT_TRUE(spool.append(pending_meta("a1"), "{}").ok);
  ASSERT_EQ(spool.freeze_active(error), SpoolDir::FreezeResult::Frozen) << error;
  EXPECT_TRUE(forwarder_test::exists(spool.draining_path()));
  EXPECT_FALSE(forwarder_test::exists(spool.active_path()));
  EXPECT_TRUE(spool.has_pending());  // the frozen file still waits

  ASSERT_TRUE(spool.append(pending_meta("a2"), "{}").ok);
  // A second freeze keeps the unfinished draining file (it must go first).
  EXPECT_EQ(spool.freeze_active(error), SpoolDir::FreezeResult::Frozen);
  EXPECT_NE(forwarder_test::read_file(spool.draining_path()).find("a1"), std::string::npos);
  EXPECT_NE(forwarder_test::read_file(spool.active_path()).find("a2"), std::string::npos);

  spool.finish_draining();
  ASSERT_EQ(spool.freeze_active(error), SpoolDir::FreezeResult::Frozen);
  EXPECT_NE(forwarder_test::read_file(spool.draining_path()).find("a2"), std::string::npos);
  spool.finish_draining();
  EXPECT_FALSE(spool.has_pending());
}

TEST(SpoolDir, ProgressSurvivesAndIsClearedWithTheDrainedFile) {
  ScratchDir scratch;
  SpoolDir spool(scratch.path());
  ASSERT_TRUE(spool.append(pending_meta("a1"), "{}").ok);
  std::string error;
  ASSERT_EQ(spool.freeze_active(error), SpoolDir::FreezeResult::Frozen);
  EXPECT_EQ(spool.read_progress(), 0u);
  ASSERT_TRUE(spool.write_progress(123456789012ull));
  EXPECT_EQ(SpoolDir(scratch.path()).read_progress(), 123456789012ull);
  ASSERT_TRUE(spool.write_progress(7));  // shorter number, same width: no leftover digits
  EXPECT_EQ(spool.read_progress(), 7u);
  spool.finish_draining();
  EXPECT_EQ(spool.read_progress(), 0u);
}

TEST(SpoolDir, QuarantineKeepsRefusedRecordsReadable) {
  ScratchDir scratch;
  SpoolDir spool(scratch.path());
  ASSERT_TRUE(spool.quarantine(pending_meta("bad"), "not json").ok);
  EXPECT_EQ(forwarder_test::read_file(spool.rejected_path()), hookbroker::spool::encode_record(pending_meta("bad"), "not json"));
  EXPECT_FALSE(spool.has_pending());
}

TEST(SpoolDir, OnlyOneDrainLockHolderAtATime) {
  ScratchDir scratch;
  SpoolDir spool(scratch.path());
  hookbroker::spool::DrainLock first(spool, false);
  ASSERT_TRUE(first.held()) << first.error();
  hookbroker::spool::DrainLock second(spool, false);
  EXPECT_FALSE(second.held());
  EXPECT_NE(second.error().find("another process"), std::string::npos);
}

}  // namespace
