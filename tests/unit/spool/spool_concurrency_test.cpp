// Many hook processes appending at once while a drainer drains: every record
// arrives whole, exactly once, and in each writer's order.
#include <gtest/gtest.h>

#include <map>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "scratch_dir.hpp"
#include "spool/spool_drainer.hpp"

namespace {

using forwarder_test::ScratchDir;
using hookbroker::spool::DeliveryDone;
using hookbroker::spool::DeliveryResult;
using hookbroker::spool::DrainHooks;
using hookbroker::spool::DrainOptions;
using hookbroker::spool::ScannedRecord;
using hookbroker::spool::SpoolDir;

constexpr int kWriters = 12;
constexpr int kPerWriter = 250;

std::string payload_for(int writer, int seq) {
  // Mostly small, some large (a PostToolUse with a big tool_response): large
  // writes are where torn or interleaved appends would show.
  const std::size_t filler = seq % 50 == 7 ? 200000 : static_cast<std::size_t>(seq % 13) * 97;
  return "{\"w\":" + std::to_string(writer) + ",\"s\":" + std::to_string(seq) + ",\"f\":\"" +
         std::string(filler, 'a' + static_cast<char>(writer % 26)) + "\"}";
}

[[noreturn]] void writer_process(const std::string& dir, int writer, int go_fd) {
  char byte;
  while (::read(go_fd, &byte, 1) < 0) {
  }
  SpoolDir spool(dir);
  int failures = 0;
  for (int seq = 0; seq < kPerWriter; ++seq) {
    const std::string id = "w" + std::to_string(writer) + "-" + std::to_string(seq);
    if (!spool.append({id, "2026-01-05T10:42:48.123Z", false}, payload_for(writer, seq), 1ull << 34).ok) ++failures;
  }
  ::_exit(failures == 0 ? 0 : 1);
}

TEST(SpoolConcurrency, ConcurrentWritersAndADrainerLoseAndDuplicateNothing) {
  ScratchDir scratch;
  const std::string dir = scratch / "spool";
  int go[2];
  ASSERT_EQ(::pipe(go), 0);
  std::vector<pid_t> children;
  for (int w = 0; w < kWriters; ++w) {
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::close(go[1]);
      writer_process(dir, w, go[0]);
    }
    children.push_back(pid);
  }
  ::close(go[0]);

  // The drainer runs while the writers write.
  SpoolDir spool(dir);
  std::map<std::string, int> delivered_count;
  std::map<int, std::vector<int>> order_by_writer;
  std::atomic<bool> writers_done{false};
  std::thread drainer([&] {
    DrainHooks hooks;
    hooks.deliver = [&](const ScannedRecord& r, DeliveryDone done) {
      ++delivered_count[r.meta.event_id];
      const auto dash = r.meta.event_id.find('-');
      const int writer = std::stoi(r.meta.event_id.substr(1, dash - 1));
      const int seq = std::stoi(r.meta.event_id.substr(dash + 1));
      EXPECT_EQ(r.payload, payload_for(writer, seq));
      order_by_writer[writer].push_back(seq);
      done({DeliveryResult::Kind::Delivered, {}});
    };
    DrainOptions options;
    options.window = 16;
    for (;;) {
      const bool last_round = writers_done.load();
      const auto report = hookbroker::spool::drain_spool(spool, hooks, options);
      EXPECT_EQ(report.damaged, 0u);
      if (last_round && report.complete) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  });

  ::close(go[1]);  // go
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  writers_done = true;
  drainer.join();

  EXPECT_EQ(delivered_count.size(), static_cast<std::size_t>(kWriters * kPerWriter));
  for (const auto& [id, count] : delivered_count) EXPECT_EQ(count, 1) << id;
  for (const auto& [writer, seqs] : order_by_writer) {
    ASSERT_EQ(seqs.size(), static_cast<std::size_t>(kPerWriter)) << "writer " << writer;
    for (int i = 0; i < kPerWriter; ++i) ASSERT_EQ(seqs[i], i) << "writer " << writer;
  }
  EXPECT_FALSE(spool.has_pending());
}

}  // namespace
