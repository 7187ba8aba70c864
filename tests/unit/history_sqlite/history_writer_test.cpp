// The writer thread: group commit, acknowledgement after commit, exactly
// once per event id, bounded queue, retention.
#include "history_writer.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>

#include "history_query.hpp"
#include "history_schema.hpp"
#include "failing_vfs.hpp"
#include "history_test_util.hpp"
#include "hookbroker/time.hpp"
#include "temp_dir.hpp"
#include "wait.hpp"

namespace {

using namespace hookbroker::history;
using hookbroker::SinkDone;
using hookbroker::SinkResult;
using namespace std::chrono_literals;
using history_test::event;

std::int64_t count_rows(const std::string& path, const std::string& where = "1") {
  auto db = open_history_reader(path);
  return db->query_int64("SELECT count(*) FROM events WHERE " + where);
}

class Writer : public ::testing::Test {
 protected:
  std::string path() const { return dir_.file("h.sqlite3"); }
  HistoryWriter::Log log() {
    return [this](bool error, const std::string& line) {
      std::lock_guard lock(log_mutex_);
      (error ? errors_ : infos_).push_back(line);
    };
  }
  hbtest::TempDir dir_;
  std::mutex log_mutex_;
  std::vector<std::string> errors_, infos_;
};

TEST_F(Writer, AcknowledgesEachEventOnlyOnceItIsCommitted) {
  HistoryWriter writer(history_test::options(path()), log());
  std::atomic<int> acked{0};
  std::atomic<int> visible_at_ack{0};
  for (int i = 0; i < 200; ++i) {
    const std::string id = "e" + std::to_string(i);
    writer.add_event(event(id, "pre_tool"), [&, id](const SinkResult&) {
      // Another connection sees the row when its acknowledgement runs.
      if (count_rows(path(), "event_id = '" + id + "'") == 1) ++visible_at_ack;
      ++acked;
    });
  }
  ASSERT_TRUE(hbtest::wait_until([&] { return acked == 200; }, 10s));
  EXPECT_EQ(visible_at_ack, 200);
  EXPECT_EQ(writer.stats().stored, 200u);
  EXPECT_LT(writer.stats().batches, 200u) << "events arriving together share commits";
}

TEST_F(Writer, AnEventIdIsStoredOnceAcrossRestarts) {
  std::atomic<int> acked{0};
  {
    HistoryWriter writer(history_test::options(path()), log());
    writer.add_event(event("same", "a"), [&](const SinkResult&) { ++acked; });
    writer.add_event(event("same", "a"), [&](const SinkResult&) { ++acked; });
    writer.add_event(event("", "no id"), [&](const SinkResult&) { ++acked; });
    writer.add_event(event("", "no id"), [&](const SinkResult&) { ++acked; });
  }  // the destructor writes what is queued
  EXPECT_EQ(acked, 4);
  {
    HistoryWriter writer(history_test::options(path()), log());
    writer.add_event(event("same", "a"), [&](const SinkResult&) { ++acked; });  // a replay after a restart
    ASSERT_TRUE(hbtest::wait_until([&] { return acked == 5; }, 5s));
    EXPECT_EQ(writer.stats().duplicates, 1u);
  }
  EXPECT_EQ(count_rows(path(), "event_id = 'same'"), 1);
  EXPECT_EQ(count_rows(path()), 3) << "events without an id are all kept";
}

TEST_F(Writer, StoresTimesAsMillisecondsParsedBySqlite) {
  {
    HistoryWriter writer(history_test::options(path()), log());
    writer.add_event(event("z", "a", "", "2026-01-17T12:00:00.250Z"), [](const SinkResult&) {});
    writer.add_event(event("offset", "a", "", "2026-01-17T13:00:00.250+01:00"), [](const SinkResult&) {});
    writer.add_event(event("junk", "a", "", "yesterday"), [](const SinkResult&) {});
  }
  auto db = open_history_reader(path());
  EXPECT_EQ(db->query_int64("SELECT ts_ms FROM events WHERE event_id = 'z'"), 1768651200250);
  EXPECT_EQ(db->query_int64("SELECT ts_ms FROM events WHERE event_id = 'offset'"), 1768651200250);
  // An unreadable time is stored with the time it was written.
  EXPECT_GT(db->query_int64("SELECT ts_ms FROM events WHERE event_id = 'junk'"), 1768651200250);
}

TEST_F(Writer, HeartbeatsAreStoredAsTheirOwnKind) {
  {
    HistoryWriter writer(history_test::options(path()), log());
    writer.add_heartbeat({{"type", "system"}, {"subtype", "heartbeat"}, {"timestamp", "2026-01-17T12:00:00.000Z"},
                          {"data", {{"total_events", 3}}}});
  }
  EXPECT_EQ(count_rows(path(), "kind = 'heartbeat' AND subtype = 'heartbeat'"), 1);
}

TEST_F(Writer, AFullQueueFailsTheEventAtOnceAndCountsTheDrop) {
  auto o = history_test::options(path());
  o.max_pending = 100;
  HistoryWriter writer(o, log());
  std::atomic<int> answered{0}, stored{0}, refused{0};
  for (int i = 0; i < 5000; ++i)
    writer.add_event(event("", "burst"), [&](const SinkResult& r) {
      if (r.ok()) {
        ++stored;
      } else {
        EXPECT_EQ(r.status, SinkResult::Status::Unavailable);
        EXPECT_NE(r.reason.find("history queue full (100 events waiting for the disk)"), std::string::npos);
        EXPECT_GE(r.retry_after_s, 1u);
        ++refused;
      }
      ++answered;
    });
  ASSERT_TRUE(hbtest::wait_until([&] { return answered == 5000; }, 10s));
  EXPECT_EQ(static_cast<std::uint64_t>(stored), writer.stats().stored) << "never a success for an event not stored";
  EXPECT_EQ(static_cast<std::uint64_t>(refused), writer.stats().dropped);
  if (refused > 0) {  // depends on how fast the disk keeps up
    std::lock_guard lock(log_mutex_);
    ASSERT_FALSE(errors_.empty());
    EXPECT_NE(errors_[0].find("history queue full (100 events waiting for the disk)"), std::string::npos);
    EXPECT_LT(errors_.size(), 5u) << "logged when the queue fills, not once per event";
  }
}

TEST_F(Writer, RetentionKeepsTheNewestRowsUnderTheRowLimit) {
  auto o = history_test::options(path());
  o.retention.max_rows = 50;
  o.retention.max_age = 0ms;
  o.retention.max_bytes = 0;
  o.retention.check_every = 50ms;
  HistoryWriter writer(o, log());
  std::atomic<int> acked{0};
  for (int i = 0; i < 120; ++i) writer.add_event(event("r" + std::to_string(i), "x"), [&](const SinkResult&) { ++acked; });
  ASSERT_TRUE(hbtest::wait_until([&] { return acked == 120 && count_rows(path()) == 50; }, 10s)) << count_rows(path());
  EXPECT_EQ(count_rows(path(), "event_id = 'r119'"), 1);
  EXPECT_EQ(count_rows(path(), "event_id = 'r69'"), 0);
  EXPECT_EQ(writer.stats().deleted, 70u);
}

TEST_F(Writer, RetentionDropsEventsOlderThanMaxAge) {
  auto o = history_test::options(path());
  o.retention.max_rows = 0;
  o.retention.max_bytes = 0;
  o.retention.max_age = std::chrono::hours(24);
  o.retention.check_every = 50ms;
  HistoryWriter writer(o, log());
  std::atomic<int> committed{0};
  writer.add_event(event("old", "x", "", "2001-01-01T00:00:00Z"), [&](const SinkResult&) { ++committed; });
  writer.add_event(event("new", "x", "", hookbroker::now_iso8601_utc()), [&](const SinkResult&) { ++committed; });
  // Both must be on disk first: "one row" alone is also true before "new"
  // was committed, when only "old" is there.
  ASSERT_TRUE(hbtest::wait_until([&] { return committed == 2; }, 10s));
  ASSERT_TRUE(hbtest::wait_until([&] { return count_rows(path(), "event_id = 'old'") == 0; }, 10s));
  EXPECT_EQ(count_rows(path(), "event_id = 'new'"), 1);
  EXPECT_EQ(count_rows(path()), 1);
}

TEST_F(Writer, RetentionKeepsTheDatabaseUnderItsSizeLimit) {
  auto o = history_test::options(path());
  o.retention.max_rows = 0;
  o.retention.max_age = 0ms;
  o.retention.max_bytes = 512 * 1024;
  o.retention.check_every = 50ms;
  HistoryWriter writer(o, log());
  const std::string big(4000, 'x');
  std::atomic<int> acked{0};
  for (int i = 0; i < 400; ++i) {  // ~1.6 MB of bodies
    auto e = std::make_shared<nlohmann::json>(*event("b" + std::to_string(i), "x"));
    (*e)["data"]["blob"] = big;
    writer.add_event(e, [&](const SinkResult&) { ++acked; });
  }
  ASSERT_TRUE(hbtest::wait_until([&] { return acked == 400; }, 10s));
  ASSERT_TRUE(hbtest::wait_until([&] { return writer.stats().deleted > 0 && writer.stats().database_bytes > 0 &&
                                              writer.stats().database_bytes <= 640 * 1024; }, 10s))
      << writer.stats().database_bytes;
  EXPECT_EQ(count_rows(path(), "event_id = 'b399'"), 1) << "the newest rows stay";
}

TEST_F(Writer, AnUnwritablePathFailsAtOnceWithTheReason) {
  hbtest::write_file(dir_.file("file"), "not a directory");
  try {
    HistoryWriter writer(history_test::options(dir_.file("file/h.sqlite3")), log());
    FAIL() << "opened a database below a file";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("cannot create directory"), std::string::npos) << e.what();
  }
}

}  // namespace

namespace {

// The fate of each event, by id, as its sender learns it.
struct Answers {
  std::mutex mutex;
  std::map<std::string, SinkResult> by_id;
  SinkDone done_for(const std::string& id) {
    return [this, id](SinkResult r) {
      std::lock_guard lock(mutex);
      by_id[id] = std::move(r);
    };
  }
  std::size_t size() {
    std::lock_guard lock(mutex);
    return by_id.size();
  }
};

class WriterOnAFailingDisk : public Writer {
 protected:
  void SetUp() override { history_test::install_failing_vfs(); }
  void TearDown() override { history_test::set_write_fault(history_test::WriteFault::None); }
  std::size_t errors() {
    std::lock_guard lock(log_mutex_);
    return errors_.size();
  }
};

TEST_F(WriterOnAFailingDisk, AFullDiskFailsExactlyTheUnstoredEventsLogsOnceAndRecovers) {
  HistoryWriter writer(history_test::options(path()), log());
  Answers answers;
  for (int i = 0; i < 20; ++i) writer.add_event(event("before" + std::to_string(i), "x"), answers.done_for("before" + std::to_string(i)));
  ASSERT_TRUE(hbtest::wait_until([&] { return answers.size() == 20; }, 10s));

  history_test::set_write_fault(history_test::WriteFault::Full);
  for (int i = 0; i < 50; ++i) writer.add_event(event("full" + std::to_string(i), "x"), answers.done_for("full" + std::to_string(i)));
  ASSERT_TRUE(hbtest::wait_until([&] { return answers.size() == 70; }, 10s));
  EXPECT_EQ(writer.stats().failed, 50u);
  EXPECT_NE(writer.state().find("database or disk is full"), std::string::npos) << writer.state();
  EXPECT_EQ(errors(), 1u) << "logged when writing stops working, not once per event or batch";

  history_test::set_write_fault(history_test::WriteFault::None);  // space is back
  for (int i = 0; i < 10; ++i) writer.add_event(event("full" + std::to_string(i), "x"), answers.done_for("retry" + std::to_string(i)));
  ASSERT_TRUE(hbtest::wait_until([&] { return answers.size() == 80; }, 10s));
  EXPECT_EQ(writer.state(), "ok");
  {
    std::lock_guard lock(log_mutex_);
    ASSERT_FALSE(infos_.empty());
    EXPECT_NE(infos_.back().find("again; 50 event(s) were refused meanwhile"), std::string::npos) << infos_.back();
  }

  // Every answer tells the truth about the database.
  std::lock_guard lock(answers.mutex);
  for (const auto& [id, result] : answers.by_id) {
    if (id.rfind("retry", 0) == 0) {
      EXPECT_TRUE(result.ok()) << id;
      continue;
    }
    const bool in_db = count_rows(path(), "event_id = '" + id + "'") == 1;
    const bool retried = id.rfind("full", 0) == 0 && std::stoi(id.substr(4)) < 10;
    EXPECT_EQ(result.ok() || retried, in_db) << id << ": " << result.reason;
    if (id.rfind("full", 0) == 0) {
      EXPECT_EQ(result.status, SinkResult::Status::StorageFull) << id;
      EXPECT_GE(result.retry_after_s, 1u);
      EXPECT_NE(result.reason.find(path()), std::string::npos) << result.reason;
    }
  }
  EXPECT_EQ(count_rows(path()), 30) << "20 before, 10 retried, none twice";
}

TEST_F(WriterOnAFailingDisk, AnIoErrorIsUnavailableNotFull) {
  HistoryWriter writer(history_test::options(path()), log());
  Answers answers;
  writer.add_event(event("ok", "x"), answers.done_for("ok"));
  ASSERT_TRUE(hbtest::wait_until([&] { return answers.size() == 1; }, 10s));
  history_test::set_write_fault(history_test::WriteFault::IoError);
  writer.add_event(event("io", "x"), answers.done_for("io"));
  ASSERT_TRUE(hbtest::wait_until([&] { return answers.size() == 2; }, 10s));
  std::lock_guard lock(answers.mutex);
  EXPECT_TRUE(answers.by_id["ok"].ok());
  EXPECT_EQ(answers.by_id["io"].status, SinkResult::Status::Unavailable);
  EXPECT_NE(answers.by_id["io"].reason.find("I/O error"), std::string::npos) << answers.by_id["io"].reason;
}

}  // namespace
