// The writer thread: group commit, acknowledgement after commit, exactly
// once per event id, bounded queue, retention.
#include "history_writer.hpp"

#include <gtest/gtest.h>

#include <atomic>

#include "history_query.hpp"
#include "history_schema.hpp"
#include "history_test_util.hpp"
#include "hookbroker/time.hpp"
#include "temp_dir.hpp"
#include "wait.hpp"

namespace {

using namespace hookbroker::history;
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
    writer.add_event(event(id, "pre_tool"), [&, id] {
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
    writer.add_event(event("same", "a"), [&] { ++acked; });
    writer.add_event(event("same", "a"), [&] { ++acked; });
    writer.add_event(event("", "no id"), [&] { ++acked; });
    writer.add_event(event("", "no id"), [&] { ++acked; });
  }  // the destructor writes what is queued
  EXPECT_EQ(acked, 4);
  {
    HistoryWriter writer(history_test::options(path()), log());
    writer.add_event(event("same", "a"), [&] { ++acked; });  // a replay after a restart
    ASSERT_TRUE(hbtest::wait_until([&] { return acked == 5; }, 5s));
    EXPECT_EQ(writer.stats().duplicates, 1u);
  }
  EXPECT_EQ(count_rows(path(), "event_id = 'same'"), 1);
  EXPECT_EQ(count_rows(path()), 3) << "events without an id are all kept";
}

TEST_F(Writer, StoresTimesAsMillisecondsParsedBySqlite) {
  {
    HistoryWriter writer(history_test::options(path()), log());
    writer.add_event(event("z", "a", "", "2026-01-17T12:00:00.250Z"), [] {});
    writer.add_event(event("offset", "a", "", "2026-01-17T13:00:00.250+01:00"), [] {});
    writer.add_event(event("junk", "a", "", "yesterday"), [] {});
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

TEST_F(Writer, AFullQueueAcknowledgesAtOnceAndCountsTheDrop) {
  auto o = history_test::options(path());
  o.max_pending = 100;
  HistoryWriter writer(o, log());
  std::atomic<int> acked{0};
  for (int i = 0; i < 5000; ++i) writer.add_event(event("", "burst"), [&] { ++acked; });
  ASSERT_TRUE(hbtest::wait_until([&] { return acked == 5000; }, 10s));
  if (writer.stats().dropped > 0) {  // depends on how fast the disk keeps up
    std::lock_guard lock(log_mutex_);
    ASSERT_FALSE(errors_.empty());
    EXPECT_NE(errors_[0].find("history queue full (100 events waiting for the disk)"), std::string::npos);
  }
  EXPECT_EQ(writer.stats().stored + writer.stats().dropped, 5000u);
}

TEST_F(Writer, RetentionKeepsTheNewestRowsUnderTheRowLimit) {
  auto o = history_test::options(path());
  o.retention.max_rows = 50;
  o.retention.max_age = 0ms;
  o.retention.max_bytes = 0;
  o.retention.check_every = 50ms;
  HistoryWriter writer(o, log());
  std::atomic<int> acked{0};
  for (int i = 0; i < 120; ++i) writer.add_event(event("r" + std::to_string(i), "x"), [&] { ++acked; });
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
  writer.add_event(event("old", "x", "", "2001-01-01T00:00:00Z"), [&] { ++committed; });
  writer.add_event(event("new", "x", "", hookbroker::now_iso8601_utc()), [&] { ++committed; });
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
    writer.add_event(e, [&] { ++acked; });
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
