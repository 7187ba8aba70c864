// Draining: order, windows, answers out of order, retry and resume after a
// crash, refused and damaged records.
#include <gtest/gtest.h>

#include <mutex>
#include <thread>
#include <vector>

#include "scratch_dir.hpp"
#include "spool/spool_drainer.hpp"

namespace {

using forwarder_test::ScratchDir;
using hookbroker::spool::DeliveryDone;
using hookbroker::spool::DeliveryResult;
using hookbroker::spool::DrainHooks;
using hookbroker::spool::DrainOptions;
using hookbroker::spool::drain_spool;
using hookbroker::spool::RecordMeta;
using hookbroker::spool::ScannedRecord;
using hookbroker::spool::SpoolDir;
using Kind = DeliveryResult::Kind;

void fill(const SpoolDir& spool, int from, int to) {
  for (int i = from; i < to; ++i)
    ASSERT_TRUE(spool.append({"e" + std::to_string(i), "2026-01-05T10:42:48.123Z", false},
                             "{\"n\":" + std::to_string(i) + "}")
                    .ok);
}

std::vector<std::string> ids(const std::vector<ScannedRecord>& records) {
  std::vector<std::string> out;
  for (const auto& r : records) out.push_back(r.meta.event_id);
  return out;
}

/// Hooks that accept every record and remember it.
DrainHooks recording(std::vector<ScannedRecord>& seen) {
  DrainHooks hooks;
  hooks.deliver = [&seen](const ScannedRecord& r, DeliveryDone done) {
    seen.push_back(r);
    done({Kind::Delivered, {}});
  };
  return hooks;
}

std::vector<std::string> expected_ids(int from, int to) {
  std::vector<std::string> out;
  for (int i = from; i < to; ++i) out.push_back("e" + std::to_string(i));
  return out;
}

TEST(SpoolDrain, DeliversEveryRecordInOrderAndEmptiesTheSpool) {
  ScratchDir scratch;
  SpoolDir spool(scratch.path());
  fill(spool, 0, 50);
  std::vector<ScannedRecord> seen;
  DrainHooks hooks;
  hooks.deliver = [&](const ScannedRecord& r, DeliveryDone done) {
    seen.push_back(r);
    EXPECT_EQ(r.payload, "{\"n\":" + r.meta.event_id.substr(1) + "}");
    done({Kind::Delivered, {}});
  };
  const auto report = drain_spool(spool, hooks, DrainOptions{});
  EXPECT_TRUE(report.complete);
  EXPECT_EQ(report.delivered, 50u);
  EXPECT_EQ(ids(seen), expected_ids(0, 50));
  EXPECT_FALSE(spool.has_pending());
  EXPECT_FALSE(forwarder_test::exists(spool.draining_path()));
}

TEST(SpoolDrain, AWindowOffersSeveralAtOnceAndAnswersMayComeOutOfOrder) {
  ScratchDir scratch;
  SpoolDir spool(scratch.path());
  fill(spool, 0, 40);
  std::mutex mutex;
  std::vector<std::pair<std::string, DeliveryDone>> pending;
  std::vector<std::string> offered;
  std::size_t most_in_flight = 0;
  DrainHooks hooks;
  hooks.deliver = [&](const ScannedRecord& r, DeliveryDone done) {
    std::lock_guard<std::mutex> lock(mutex);
    offered.push_back(r.meta.event_id);
    pending.emplace_back(r.meta.event_id, std::move(done));
    most_in_flight = std::max(most_in_flight, pending.size());
  };
  // Another thread answers the newest offer first.
  std::atomic<bool> finished{false};
  std::thread answerer([&] {
    while (!finished) {
      std::pair<std::string, DeliveryDone> next;
      {
        std::lock_guard<std::mutex> lock(mutex);
        if (!pending.empty()) {
          next = std::move(pending.back());
          pending.pop_back();
        }
      }
      if (next.second) next.second({Kind::Delivered, {}});
      else std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
  });
  DrainOptions options;
  options.window = 8;
  const auto report = drain_spool(spool, hooks, options);
  finished = true;
  answerer.join();
  EXPECT_TRUE(report.complete);
  EXPECT_EQ(report.delivered, 40u);
  EXPECT_EQ(offered, expected_ids(0, 40));  // offered in order
  EXPECT_LE(most_in_flight, 8u);
  EXPECT_GT(most_in_flight, 1u);
}

TEST(SpoolDrain, RetryStopsTheDrainAndTheNextDrainResumesAtTheFirstUndelivered) {
  ScratchDir scratch;
  SpoolDir spool(scratch.path());
  fill(spool, 0, 10);
  std::vector<ScannedRecord> seen;
  DrainHooks hooks;
  hooks.deliver = [&](const ScannedRecord& r, DeliveryDone done) {
    seen.push_back(r);
    done(r.meta.event_id == "e4" ? DeliveryResult{Kind::Retry, "broker stopping"} : DeliveryResult{Kind::Delivered, {}});
  };
  auto report = drain_spool(spool, hooks, DrainOptions{});
  EXPECT_FALSE(report.complete);
  EXPECT_EQ(report.delivered, 4u);
  EXPECT_EQ(report.stopped_because, "broker stopping");
  EXPECT_TRUE(spool.has_pending());
  fill(spool, 10, 12);  // new events arrive meanwhile: they come after the old ones

  seen.clear();
  hooks = recording(seen);
  report = drain_spool(spool, hooks, DrainOptions{});
  EXPECT_TRUE(report.complete);
  EXPECT_EQ(ids(seen), expected_ids(4, 12));
}

TEST(SpoolDrain, ACrashBeforeProgressIsWrittenOffersTheRecordAgainNeverSkipsIt) {
  ScratchDir scratch;
  SpoolDir spool(scratch.path());
  fill(spool, 0, 5);
  // Simulate a drainer killed after delivering e0..e2 but having recorded
  // progress only up to e0: freeze, and write progress by hand.
  std::string error;
  ASSERT_EQ(spool.freeze_active(error), SpoolDir::FreezeResult::Frozen);
  const std::string data = forwarder_test::read_file(spool.draining_path());
  const auto first_end = data.find("\n", data.find("\n") + 1) + 1;  // end of record e0
  ASSERT_TRUE(spool.write_progress(first_end));

  std::vector<ScannedRecord> seen;
  DrainHooks hooks = recording(seen);
  hooks.already_delivered = [](const ScannedRecord& r) { return r.meta.event_id == "e1" || r.meta.event_id == "e2"; };
  const auto report = drain_spool(spool, hooks, DrainOptions{});
  EXPECT_TRUE(report.complete);
  EXPECT_EQ(report.skipped, 2u);
  EXPECT_EQ(report.delivered, 4u);
  EXPECT_EQ(ids(seen), (std::vector<std::string>{"e3", "e4"}));
}

TEST(SpoolDrain, RefusedRecordsMoveToRejectedAndTheDrainGoesOn) {
  ScratchDir scratch;
  SpoolDir spool(scratch.path());
  fill(spool, 0, 3);
  std::vector<std::string> warnings;
  DrainHooks hooks;
  hooks.deliver = [&](const ScannedRecord& r, DeliveryDone done) {
    done(r.meta.event_id == "e1" ? DeliveryResult{Kind::Refused, "unrecognized event"}
                                 : DeliveryResult{Kind::Delivered, {}});
  };
  hooks.warn = [&](const std::string& m) { warnings.push_back(m); };
  const auto report = drain_spool(spool, hooks, DrainOptions{});
  EXPECT_TRUE(report.complete);
  EXPECT_EQ(report.delivered, 2u);
  EXPECT_EQ(report.refused, 1u);
  const std::string rejected = forwarder_test::read_file(spool.rejected_path());
  EXPECT_NE(rejected.find(" e1 "), std::string::npos);
  EXPECT_NE(rejected.find("{\"n\":1}"), std::string::npos);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("unrecognized event"), std::string::npos);
}

TEST(SpoolDrain, DamagedBytesAreKeptAsideAndTheRecordsAroundThemDelivered) {
  ScratchDir scratch;
  SpoolDir spool(scratch.path());
  fill(spool, 0, 1);
  {
    std::ofstream out(spool.active_path(), std::ios::app | std::ios::binary);
    out << "HBS1 999 deadbeef torn 2026 -\n{\"half";  // a record torn by a full disk
  }
  fill(spool, 1, 2);
  std::vector<ScannedRecord> seen;
  DrainHooks hooks = recording(seen);
  const auto report = drain_spool(spool, hooks, DrainOptions{});
  EXPECT_TRUE(report.complete);
  EXPECT_EQ(ids(seen), (std::vector<std::string>{"e0", "e1"}));
  EXPECT_EQ(report.damaged, 1u);
  EXPECT_NE(forwarder_test::read_file(spool.rejected_path()).find("{\"half"), std::string::npos);
}

TEST(SpoolDrain, AStopRequestEndsTheDrainWithoutWaitingForAnswersThatNeverCome) {
  ScratchDir scratch;
  SpoolDir spool(scratch.path());
  fill(spool, 0, 3);
  std::atomic<bool> stop{false};
  std::vector<DeliveryDone> never_answered;
  DrainHooks hooks;
  hooks.deliver = [&](const ScannedRecord&, DeliveryDone done) {
    never_answered.push_back(std::move(done));
    stop = true;
  };
  hooks.stop_requested = [&] { return stop.load(); };
  DrainOptions options;
  options.answer_timeout = std::chrono::seconds(30);
  const auto started = std::chrono::steady_clock::now();
  const auto report = drain_spool(spool, hooks, options);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
  EXPECT_FALSE(report.complete);
  EXPECT_TRUE(spool.has_pending());
  never_answered.front()({Kind::Delivered, {}});  // a late answer is harmless
}

TEST(SpoolDrain, SomeoneElseDrainingMeansLockedOutWhenNotWaiting) {
  ScratchDir scratch;
  SpoolDir spool(scratch.path());
  fill(spool, 0, 1);
  hookbroker::spool::DrainLock other(spool, true);
  DrainHooks hooks;
  hooks.deliver = [](const ScannedRecord&, DeliveryDone done) { done({Kind::Delivered, {}}); };
  DrainOptions options;
  options.wait_for_lock = false;
  const auto report = drain_spool(spool, hooks, options);
  EXPECT_TRUE(report.locked_out);
  EXPECT_TRUE(spool.has_pending());
}

}  // namespace
