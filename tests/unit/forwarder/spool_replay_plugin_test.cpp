// The built spool_replay.so against a FakeHost: it drains the spool into
// ingest in order with the replay context, skips what an earlier run took,
// records accepted ids, and answers drain requests.
#include <gtest/gtest.h>

#include <mutex>

#include "hookbroker/hookbroker.hpp"
#include "hookbroker/testing/fake_host.hpp"
#include "hookbroker/testing/loaded_plugin.hpp"
#include "scratch_dir.hpp"
#include "spool/spool_dir.hpp"

namespace {

using forwarder_test::ScratchDir;
using hookbroker::testing::FakeHost;

std::string spooled_id(int n) { return forwarder_test::hex_id(n); }

std::size_t count_logs(const FakeHost& host, hookbroker::LogLevel level, const std::string& text) {
  std::size_t n = 0;
  for (const auto& line : host.logs()) n += line.level == level && line.message.find(text) != std::string::npos;
  return n;
}

std::string sent_at(int n) { return "2026-01-05T10:42:" + std::string(n < 10 ? "0" : "") + std::to_string(n) + ".000Z"; }

class SpoolReplayPlugin : public ::testing::Test {
 protected:
  SpoolReplayPlugin() : library_(SPOOL_REPLAY_PLUGIN_PATH) {}

  hookbroker::HostSettings settings() {
    auto s = FakeHost::default_settings();
    s.state_dir = scratch_.path();
    return s;
  }

  nlohmann::json config() {
    return {{"dir", ""},    {"start_delay_s", 0.0}, {"poll_interval_s", 0.05},
            {"window", 4},  {"keep_ids", 1000},     {"keep_ids_s", 60.0}};
  }

  hookbroker::testing::LoadedPlugin::Instance create(FakeHost& host, const nlohmann::json& cfg) {
    return library_.create(host, cfg);
  }

  void spool_events(int from, int to, bool maybe_delivered = false) {
    hookbroker::spool::SpoolDir spool(scratch_ / "spool");
    for (int i = from; i < to; ++i)
      ASSERT_TRUE(spool.append({spooled_id(i), sent_at(i), maybe_delivered},
                               R"({"hook_event_name":"PreToolUse","session_id":"s","n":)" + std::to_string(i) + "}")
                      .ok);
  }

  ScratchDir scratch_;
  hookbroker::testing::LoadedPlugin library_;
};

TEST_F(SpoolReplayPlugin, ManifestIsAnEventSinkAndContributorWithDocumentedOptions) {
  const auto& m = library_.manifest();
  EXPECT_EQ(m.name, "spool_replay");
  EXPECT_EQ(m.kinds, HOOKBROKER_KIND_EVENT_SINK | HOOKBROKER_KIND_HEARTBEAT_CONTRIBUTOR);
  EXPECT_EQ(m.heartbeat_keys, "spool_replay");
  std::map<std::string, std::string> defaults;
  for (const auto& o : m.options) defaults[o.name] = o.default_json;
  EXPECT_EQ(defaults, (std::map<std::string, std::string>{
                          {"dir", "\"\""}, {"start_delay_s", "0"}, {"poll_interval_s", "2"}, {"window", "64"},
                          {"keep_ids", "50000"}, {"keep_ids_s", "60"}}));
}

TEST_F(SpoolReplayPlugin, DrainsTheSpoolInOrderWithTheOriginalTimeAndReplayMark) {
  spool_events(0, 20);
  FakeHost host("spool_replay", settings());
  auto plugin = create(host, config());
  host.on_strand([&] {
    plugin->start();
    plugin->on_broker_started();  // as the core does once every plugin runs
  });
  ASSERT_TRUE(host.run_until([&] { return host.ingested().size() == 20; }, std::chrono::seconds(10)));
  const auto ingested = host.ingested();
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(ingested[i].raw["n"], i);
    EXPECT_EQ(ingested[i].context.source, "spool");
    EXPECT_TRUE(ingested[i].context.replayed);
    EXPECT_EQ(ingested[i].context.event_id, spooled_id(i));
    EXPECT_EQ(ingested[i].context.received_at, sent_at(i));
  }
  hookbroker::spool::SpoolDir spool(scratch_ / "spool");
  ASSERT_TRUE(host.run_until([&] { return !spool.has_pending(); }));
  // Logged once the drain is over, which may be just after the spool empties.
  EXPECT_TRUE(host.run_until([&] { return host.has_log(hookbroker::LogLevel::Info, "replayed 20 spooled event(s)"); }));
  host.on_strand([&] { plugin->stop(); });
}

TEST_F(SpoolReplayPlugin, EventsAnEarlierRunAcceptedAreNotIngestedAgain) {
  // An earlier broker took spooled_id(1) and spooled_id(2) live, then was
  // killed before the forwarder got its answer; the forwarder spooled them
  // with the others, marked "maybe delivered".
  ::mkdir((scratch_ / "spool").c_str(), 0700);
  forwarder_test::write_file(scratch_ / "spool/accepted-ids.log", spooled_id(1) + "\n" + spooled_id(2) + "\n");
  spool_events(0, 4, true);
  FakeHost host("spool_replay", settings());
  auto plugin = create(host, config());
  host.on_strand([&] {
    plugin->start();
    plugin->on_broker_started();  // as the core does once every plugin runs
  });
  hookbroker::spool::SpoolDir spool(scratch_ / "spool");
  ASSERT_TRUE(host.run_until([&] { return !spool.has_pending(); }, std::chrono::seconds(10)));
  const auto ingested = host.ingested();
  ASSERT_EQ(ingested.size(), 2u);
  EXPECT_EQ(ingested[0].context.event_id, spooled_id(0));
  EXPECT_EQ(ingested[1].context.event_id, spooled_id(3));
  const auto stats = host.on_strand([&] { return plugin.heartbeat_contributor()->contribute(); });
  EXPECT_EQ(stats["spool_replay"]["skipped_duplicates"], 2);
  EXPECT_EQ(stats["spool_replay"]["replayed"], 2);
  host.on_strand([&] { plugin->stop(); });
}

TEST_F(SpoolReplayPlugin, TheSinkRecordsLiveIdsBeforeAcknowledging) {
  FakeHost host("spool_replay", settings());
  auto plugin = create(host, config());
  host.on_strand([&] {
    plugin->start();
    plugin->on_broker_started();  // as the core does once every plugin runs
  });
  bool acknowledged = false;
  auto event = std::make_shared<const nlohmann::json>(nlohmann::json{{"type", "hook"}, {"event_id", spooled_id(7)}});
  host.on_strand([&] {
    plugin.event_sink()->consume_event(event, [&](const hookbroker::SinkResult& r) { acknowledged = r.ok(); });
  });
  EXPECT_TRUE(acknowledged);
  // A replayed event is recorded by the replay, once every sink took it.
  auto replayed = std::make_shared<const nlohmann::json>(
      nlohmann::json{{"type", "hook"}, {"event_id", spooled_id(8)}, {"replayed", true}});
  host.on_strand([&] { plugin.event_sink()->consume_event(replayed, [](const hookbroker::SinkResult&) {}); });
  EXPECT_EQ(forwarder_test::read_file(scratch_ / "spool/accepted-ids.log"), spooled_id(7) + "\n");
  host.on_strand([&] { plugin->stop(); });
}

TEST_F(SpoolReplayPlugin, ALiveIdDoesNotSkipARecordTheBrokerSaidItDidNotKeep) {
  // The earlier broker took spooled_id(1) live but another sink failed it:
  // the forwarder got 503/507 and spooled it unmarked. spooled_id(2) was
  // replayed and taken by every sink before a crash cut the drain short.
  ::mkdir((scratch_ / "spool").c_str(), 0700);
  forwarder_test::write_file(scratch_ / "spool/accepted-ids.log", spooled_id(1) + "\n" + spooled_id(2) + " r\n");
  spool_events(0, 4, false);
  FakeHost host("spool_replay", settings());
  auto plugin = create(host, config());
  host.on_strand([&] {
    plugin->start();
    plugin->on_broker_started();
  });
  hookbroker::spool::SpoolDir spool(scratch_ / "spool");
  ASSERT_TRUE(host.run_until([&] { return !spool.has_pending(); }, std::chrono::seconds(10)));
  std::vector<std::string> ingested;
  for (const auto& i : host.ingested()) ingested.push_back(i.context.event_id);
  EXPECT_EQ(ingested, (std::vector<std::string>{spooled_id(0), spooled_id(1), spooled_id(3)}));
  // The replayed ones are journaled as taken by every sink.
  const std::string journal = forwarder_test::read_file(scratch_ / "spool/accepted-ids.log");
  EXPECT_NE(journal.find(spooled_id(0) + " r\n"), std::string::npos) << journal;
  EXPECT_NE(journal.find(spooled_id(3) + " r\n"), std::string::npos) << journal;
  host.on_strand([&] { plugin->stop(); });
}

TEST_F(SpoolReplayPlugin, AnEventTheBrokerDidNotKeepStaysInTheSpoolUntilTheWaitItAskedFor) {
  spool_events(0, 3);
  FakeHost host("spool_replay", settings());
  std::mutex mutex;
  std::vector<std::chrono::steady_clock::time_point> offers_of_first;
  host.set_ingest_reply([&](const nlohmann::json& raw, const hookbroker::IngestContext&) {
    std::lock_guard<std::mutex> lock(mutex);
    if (raw["n"] == 0) offers_of_first.push_back(std::chrono::steady_clock::now());
    if (offers_of_first.size() < 3)
      return hookbroker::IngestResult{hookbroker::IngestResult::Status::StorageFull,
                                      "history_sqlite could not keep the event: disk full", 1};
    return hookbroker::IngestResult{};
  });
  auto plugin = create(host, config());  // polls every 0.05 s
  host.on_strand([&] {
    plugin->start();
    plugin->on_broker_started();
  });
  hookbroker::spool::SpoolDir spool(scratch_ / "spool");
  ASSERT_TRUE(host.run_until([&] { return !spool.has_pending(); }, std::chrono::seconds(15)));
  // Logged once the drain is over, which may be just after the spool empties.
  EXPECT_TRUE(host.run_until([&] { return host.has_log(hookbroker::LogLevel::Info, "drains again"); }));
  std::lock_guard<std::mutex> lock(mutex);
  ASSERT_EQ(offers_of_first.size(), 3u);
  for (std::size_t i = 1; i < offers_of_first.size(); ++i)
    EXPECT_GE(offers_of_first[i] - offers_of_first[i - 1], std::chrono::milliseconds(950))
        << "Retry-After 1 s is respected, not every poll";
  EXPECT_FALSE(forwarder_test::exists(spool.rejected_path())) << "not kept is not refused";
  EXPECT_EQ(host.ingested().back().context.event_id, spooled_id(2));
  EXPECT_EQ(count_logs(host, hookbroker::LogLevel::Warn, "not drained: history_sqlite could not keep the event"), 1u)
      << "logged when it starts, not at every retry";
  EXPECT_TRUE(host.has_log(hookbroker::LogLevel::Info, "drains again"));
  const auto stats = host.on_strand([&] { return plugin.heartbeat_contributor()->contribute(); });
  EXPECT_EQ(stats["spool_replay"]["retries"], 2);
  EXPECT_EQ(stats["spool_replay"]["problem"], "");
  host.on_strand([&] { plugin->stop(); });
}

TEST_F(SpoolReplayPlugin, AnUnwritableSpoolKeepsThePluginRunningReportsItAndRecovers) {
  forwarder_test::write_file(scratch_ / "in-the-way", "");
  FakeHost host("spool_replay", settings());
  auto cfg = config();
  cfg["dir"] = scratch_ / "in-the-way";
  auto plugin = create(host, cfg);
  host.on_strand([&] {
    plugin->start();  // does not throw: the broker keeps the plugin
    plugin->on_broker_started();
  });
  EXPECT_TRUE(host.has_log(hookbroker::LogLevel::Error, "cannot keep accepted event ids in " + (scratch_ / "in-the-way")));
  auto stats = host.on_strand([&] { return plugin.heartbeat_contributor()->contribute(); });
  EXPECT_NE(stats["spool_replay"]["journal_problem"], "");

  ::unlink((scratch_ / "in-the-way").c_str());  // the user fixes it; the next poll notices
  ASSERT_TRUE(host.run_until([&] { return host.has_log(hookbroker::LogLevel::Info, "keeping accepted event ids"); },
                             std::chrono::seconds(10)));
  stats = host.on_strand([&] { return plugin.heartbeat_contributor()->contribute(); });
  EXPECT_EQ(stats["spool_replay"]["journal_problem"], "");
  EXPECT_EQ(count_logs(host, hookbroker::LogLevel::Error, "cannot keep accepted event ids"), 1u)
      << "once per change, not once per poll";
  host.on_strand([&] { plugin->stop(); });
}

TEST_F(SpoolReplayPlugin, RefusedEventsAreKeptInRejectedAndTheRestIsIngested) {
  spool_events(0, 3);
  FakeHost host("spool_replay", settings());
  host.set_ingest_reply([](const nlohmann::json& raw, const hookbroker::IngestContext&) {
    hookbroker::IngestResult r;
    if (raw["n"] == 1) r = {hookbroker::IngestResult::Status::Rejected, "unrecognized event"};
    return r;
  });
  auto plugin = create(host, config());
  host.on_strand([&] {
    plugin->start();
    plugin->on_broker_started();  // as the core does once every plugin runs
  });
  hookbroker::spool::SpoolDir spool(scratch_ / "spool");
  ASSERT_TRUE(host.run_until([&] { return !spool.has_pending(); }, std::chrono::seconds(10)));
  EXPECT_NE(forwarder_test::read_file(spool.rejected_path()).find(spooled_id(1)), std::string::npos);
  EXPECT_TRUE(host.has_log(hookbroker::LogLevel::Warn, "unrecognized event"));
  host.on_strand([&] { plugin->stop(); });
}

TEST_F(SpoolReplayPlugin, ABrokerShuttingDownKeepsTheEventsForNextTime) {
  spool_events(0, 3);
  FakeHost host("spool_replay", settings());
  std::atomic<int> offered{0};
  host.set_ingest_reply([&](const nlohmann::json&, const hookbroker::IngestContext&) {
    ++offered;
    return hookbroker::IngestResult{hookbroker::IngestResult::Status::Unavailable, "the broker is shutting down", 1};
  });
  auto plugin = create(host, config());
  host.on_strand([&] {
    plugin->start();
    plugin->on_broker_started();  // as the core does once every plugin runs
  });
  ASSERT_TRUE(host.run_until([&] { return offered.load() > 0; }, std::chrono::seconds(10)));
  host.on_strand([&] { plugin->stop(); });
  hookbroker::spool::SpoolDir spool(scratch_ / "spool");
  EXPECT_TRUE(spool.has_pending());
  EXPECT_FALSE(forwarder_test::exists(spool.rejected_path()));
}

TEST_F(SpoolReplayPlugin, DrainRequestRouteStartsADrain) {
  FakeHost host("spool_replay", settings());
  auto cfg = config();
  cfg["start_delay_s"] = 60.0;  // only the request may start this drain
  cfg["poll_interval_s"] = 0.0;
  auto plugin = create(host, cfg);
  host.on_strand([&] {
    plugin->start();
    plugin->on_broker_started();  // as the core does once every plugin runs
  });
  spool_events(0, 2);

  hookbroker::HttpRequest request;
  request.method = "POST";
  request.path = "/api/spool/drain";
  auto accepted = host.call_http(request);
  ASSERT_TRUE(accepted);
  EXPECT_EQ(accepted->status, 202);
  ASSERT_TRUE(host.run_until([&] { return host.ingested().size() == 2; }, std::chrono::seconds(10)));
  host.on_strand([&] { plugin->stop(); });
}

}  // namespace
