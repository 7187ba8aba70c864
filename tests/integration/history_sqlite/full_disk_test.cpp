// history_sqlite in the real broker on a disk that fills up (issue 13, found
// 240 POSTs answered 204 with 36 stored). Now: every event answered 204 is in
// the database; every other one was answered 503/507 with Retry-After and a
// JSON error naming the plugin; once there is room again the retries (same
// event id) are stored, none twice, none lost, and clients saw each event once.
//
// Two real ways to fill a disk:
//  - a small tmpfs, mounted in a mount namespace of this test's own (needs
//    CAP_SYS_ADMIN, as root here; skipped where a container withholds it),
//    grown with a remount when "space returns": ENOSPC from the kernel;
//  - a file-size limit (RLIMIT_FSIZE, set on the running broker with
//    prlimit(2), which any user may do to their own process): a write past it
//    fails (EFBIG, or a short write), as on a full disk. Always runs.
#include <gtest/gtest.h>
#include <sched.h>
#include <sqlite3.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <functional>
#include <iostream>
#include <set>

#include "history_args.hpp"
#include "plugin_broker.hpp"
#include "socketio_broker.hpp"
#include "socketio_calls.hpp"
#include "temp_dir.hpp"
#include "wait.hpp"

namespace {

using namespace plugins_it;
using namespace std::chrono_literals;
using nlohmann::json;

std::uint64_t bytes_in_file(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
}

/// Event ids stored as events (not heartbeats), read with a connection of our own.
std::vector<std::string> event_ids_in_database(const std::string& db_path) {
  std::vector<std::string> ids;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_busy_timeout(db, 5000);
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT event_id FROM events WHERE kind = 'event'", -1, &stmt, nullptr) == SQLITE_OK) {
      while (sqlite3_step(stmt) == SQLITE_ROW) {
        const auto* text = sqlite3_column_text(stmt, 0);
        ids.emplace_back(text ? reinterpret_cast<const char*>(text) : "");
      }
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return ids;
}

/// Fills the disk under the database and gives the space back.
struct Disk {
  std::string db_path;
  std::function<void(pid_t broker)> fill;  ///< after the broker started
  std::function<void(pid_t broker)> make_room;
};

void run_full_disk_scenario(const Disk& disk) {
  constexpr int kEvents = 200;
  // Heartbeats rarely, so the events fill the disk; transport_jsonl's
  // broadcast file lives elsewhere.
  PluginBroker broker(history_it::history_at(disk.db_path) + config("history_sqlite", "store_heartbeats", "false"), "60");
  ASSERT_GT(broker.port(), 0) << broker.output();
  disk.fill(broker.process().pid());

  std::vector<std::string> acknowledged, refused;
  for (int i = 0; i < kEvents; ++i) {
    const std::string id = "full-" + std::to_string(i);
    const auto r = broker.post_event(generic_event("filling", "", i), id);
    if (r.status == 204) {
      acknowledged.push_back(id);
      continue;
    }
    ASSERT_TRUE(r.status == 507 || r.status == 503) << id << ": " << r.status << " " << r.body;
    const std::string retry_after = r.header("retry-after");
    ASSERT_FALSE(retry_after.empty()) << id;
    EXPECT_GE(std::stoi(retry_after), 1);
    const auto body = json::parse(r.body, nullptr, false);
    ASSERT_TRUE(body.is_object() && body["error"].is_string()) << r.body;
    EXPECT_NE(body["error"].get<std::string>().find("history_sqlite could not keep the event"), std::string::npos)
        << r.body;
    EXPECT_EQ(body["retry_after_s"], std::stoi(retry_after));
    refused.push_back(id);
  }
  std::cout << "[ full    ] " << acknowledged.size() << " events answered 204, " << refused.size()
            << " refused with 503/507\n";
  ASSERT_FALSE(refused.empty()) << "the disk never filled: the test proves nothing";
  ASSERT_FALSE(acknowledged.empty()) << "the disk was full from the start: the test proves too little";
  EXPECT_TRUE(broker.process().running()) << "a full disk must not take the broker down";

  // No lying acknowledgement: every 204 is in the database, nothing else is.
  {
    const auto ids = event_ids_in_database(disk.db_path);
    const std::set<std::string> in_db(ids.begin(), ids.end());
    for (const auto& id : acknowledged) EXPECT_TRUE(in_db.count(id)) << id << " was answered 204 but not stored";
    for (const auto& id : refused) EXPECT_FALSE(in_db.count(id)) << id << " was refused but is stored";
  }
  // A Socket.IO client's event is not kept either, and its ack says so.
  {
    auto ws = sio_it::connected_ws(broker.port());
    ASSERT_TRUE(ws);
    const auto ack =
        emit_with_ack(*ws, "claude_event", json::array({{{"type", "test"}, {"subtype", "socketio"}}}));
    ASSERT_TRUE(ack && ack->is_array() && !ack->empty()) << (ack ? ack->dump() : "no ack");
    const json& answer = (*ack)[0];
    EXPECT_NE(answer.value("error", "").find("history_sqlite could not keep the event"), std::string::npos)
        << answer.dump();
    EXPECT_GE(answer.value("retry_after_s", 0), 1) << answer.dump();
  }
  // Logged once when writing stopped, not once per event.
  EXPECT_LE(broker.process().count_log("events are refused \\((507|503)"), 2u) << broker.output();

  disk.make_room(broker.process().pid());
  for (const auto& id : refused) {
    const int n = std::stoi(id.substr(5));
    hbtest::wait_until([&] { return broker.post_event(generic_event("filling", "", n), id).status == 204; },
                       hbtest::scaled(10s), 20ms);
  }
  EXPECT_TRUE(broker.process().wait_for_log("storing events in .* again", 5s)) << broker.output();

  const auto ids = event_ids_in_database(disk.db_path);
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(kEvents)) << "every event stored, none twice";
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size());
  const auto health = json::parse(broker.get("/health").body, nullptr, false);
  EXPECT_EQ(health["total_events"], kEvents + 1) << "a retry is not counted again (+1: the Socket.IO event)";
  EXPECT_EQ(broker.claude_events("filling").size(), static_cast<std::size_t>(kEvents)) << "clients saw each event once";
}

TEST(HistoryFullDisk, AFileSizeLimitRefusesWhatItCannotStoreAndTheRetriesAreStoredOnce) {
  hbtest::TempDir dir;
  const std::string db = dir.file("h.sqlite3");
  Disk disk;
  disk.db_path = db;
  disk.fill = [&](pid_t pid) {
    // Past what the database and its WAL hold now, by less than the events need.
    const rlim_t limit = std::max(bytes_in_file(db), bytes_in_file(db + "-wal")) + 192 * 1024;
    const rlimit lim{limit, RLIM_INFINITY};
    ASSERT_EQ(::prlimit(pid, RLIMIT_FSIZE, &lim, nullptr), 0) << std::strerror(errno);
  };
  disk.make_room = [](pid_t pid) {
    const rlimit lim{RLIM_INFINITY, RLIM_INFINITY};
    ASSERT_EQ(::prlimit(pid, RLIMIT_FSIZE, &lim, nullptr), 0) << std::strerror(errno);
  };
  run_full_disk_scenario(disk);
}

TEST(HistoryFullDisk, ASmallTmpfsRefusesWhatItCannotStoreAndTheRetriesAreStoredOnce) {
  hbtest::TempDir dir;
  const std::string mount_point = dir.file("small-disk");
  ASSERT_EQ(::mkdir(mount_point.c_str(), 0700), 0);
  // A mount namespace of this thread's own (the broker, forked from it,
  // shares it): the mount is gone when the test process ends, whatever happens.
  if (::unshare(CLONE_NEWNS) != 0 || ::mount("none", "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0 ||
      ::mount("tmpfs", mount_point.c_str(), "tmpfs", 0, "size=768k,mode=0700") != 0)
    GTEST_SKIP() << "cannot mount a private tmpfs here (" << std::strerror(errno)
                 << "); the file-size-limit test covers the same path";
  Disk disk;
  disk.db_path = mount_point + "/h.sqlite3";
  disk.fill = [](pid_t) {};  // the tmpfs fills by itself
  disk.make_room = [&](pid_t) {
    ASSERT_EQ(::mount("tmpfs", mount_point.c_str(), "tmpfs", MS_REMOUNT, "size=64m,mode=0700"), 0)
        << std::strerror(errno);
  };
  run_full_disk_scenario(disk);
  ::umount2(mount_point.c_str(), MNT_DETACH);
}

}  // namespace
