// spool_replay: brings events the hook forwarder spooled while the broker was
// away into the broker, in the order they happened, each exactly once.
//
//  - drains STATE_DIR/spool shortly after the broker starts, whenever a hook
//    asks (POST /api/spool/drain: hookbroker-hook does so when it queues an
//    event behind others), and every poll_interval_s while events wait;
//  - ingests each record with source "spool", its original time and
//    "replayed": true, under the event id the forwarder gave it;
//  - keeps an event in the spool until the broker really took it: a 503/507
//    (an event sink failed it) stops the drain until the Retry-After passed;
//  - is an EventSink recording accepted event ids on disk, so an event the
//    broker took just before being killed is not replayed a second time
//    (accepted_ids.hpp explains the window this closes and how the journal
//    stays small); an unwritable journal is reported and retried, never a
//    reason to stop.
#include <atomic>
#include <mutex>
#include <utility>

#include <boost/asio/steady_timer.hpp>

#include "accepted_ids.hpp"
#include "hookbroker/hookbroker.hpp"
#include "replay_runner.hpp"
#include "spool/spool_scan.hpp"

namespace {

using namespace hookbroker;

std::chrono::milliseconds seconds_option(const nlohmann::json& config, const char* key) {
  return std::chrono::milliseconds(static_cast<long long>(config.at(key).get<double>() * 1000.0));
}

class SpoolReplayPlugin final : public Plugin, public EventSink, public HeartbeatContributor {
 public:
  SpoolReplayPlugin(HostApi& host, const nlohmann::json& config)
      : host_(host),
        dir_(config.at("dir").get<std::string>().empty() ? host.settings().state_dir + "/spool"
                                                         : config.at("dir").get<std::string>()),
        start_delay_(seconds_option(config, "start_delay_s")),
        poll_interval_(seconds_option(config, "poll_interval_s")),
        ids_(std::make_shared<spool_replay::AcceptedIds>(dir_, config.at("keep_ids").get<std::size_t>(),
                                                         seconds_option(config, "keep_ids_s"))),
        runner_(std::make_shared<spool_replay::ReplayRunner>(host, dir_, config.at("window").get<std::size_t>(), ids_)),
        timer_(host.strand()) {}

  void start() override {
    // An unwritable spool does not stop the plugin: events still replay
    // (the core drops repeats within a run); only exactly-once across a
    // broker crash waits until the journal can be written, which every poll
    // retries and the heartbeat and the log report.
    if (open_journal()) compact_later();
    host_.info("spool " + dir_ + ": " + std::to_string(runner_->spool().pending_bytes()) + " bytes waiting, " +
               std::to_string(ids_->loaded_count()) + " event ids from earlier runs");
    host_.add_http_route("POST", "/api/spool/drain", [this](const HttpRequest&, HttpReply reply) {
      runner_->request();
      const auto wait = runner_->retry_in();
      nlohmann::json body{{"draining", wait.count() == 0}, {"pending_bytes", runner_->spool().pending_bytes()}};
      if (wait.count() > 0) body["retry_in_ms"] = wait.count();
      reply(HttpResponse::json(202, body));
    });
  }

  // The first drain waits until every plugin runs: replayed events must find
  // every handler, sink and transport loaded.
  void on_broker_started() override { arm(start_delay_); }

  void stop() override {
    stopped_ = true;
    timer_.cancel();
    // Never block this strand in stop(): the sink's pending consume calls
    // run on it and must record their ids before the broker goes down. The
    // drain sees the flag between records and ends on its own.
    runner_->stop(std::chrono::milliseconds(0));
  }

  void consume_event(std::shared_ptr<const nlohmann::json> event, SinkDone done) override {
    // Live events only: a replayed one is recorded once every sink took it
    // (ReplayRunner). A failed write never fails the event: the journal only
    // guards against a duplicate after a crash, the event itself is kept.
    const auto replayed = event->find("replayed");
    const bool live = replayed == event->end() || !replayed->is_boolean() || !replayed->get<bool>();
    if (const auto it = event->find("event_id"); live && it != event->end() && it->is_string()) {
      std::string error;
      if (!ids_->record(it->get<std::string>(), spool_replay::AcceptedIds::Way::Live, &error))
        note_journal_problem(error);
      else if (ids_->compaction_due())
        compact_later();
    }
    done(SinkResult::stored());
  }

  nlohmann::json contribute() override {
    nlohmann::json stats = runner_->stats();
    stats["journal_ids"] = ids_->journal_count();
    stats["journal_problem"] = journal_problem();
    return {{"spool_replay", std::move(stats)}};
  }

 private:
  void arm(std::chrono::milliseconds after) {
    if (stopped_) return;
    timer_.expires_after(after);
    timer_.async_wait([this](const boost::system::error_code& ec) {
      if (ec || stopped_) return;
      // Also compacts what replays journaled (a drain writes ids too).
      if ((!ids_->writable() && open_journal()) || ids_->compaction_due()) compact_later();
      if (runner_->spool().has_pending()) runner_->request();
      if (poll_interval_.count() > 0) arm(poll_interval_);
    });
  }

  /// Opens the journal; logs when that starts or stops failing.
  bool open_journal() {
    std::string error;
    if (ids_->open(error)) {
      note_journal_problem("");
      return true;
    }
    note_journal_problem(error);
    return false;
  }

  void note_journal_problem(const std::string& problem) {
    std::string previous;
    {
      std::lock_guard<std::mutex> lock(problem_mutex_);
      if (problem == journal_problem_) return;
      previous = std::exchange(journal_problem_, problem);
    }
    if (!problem.empty())
      host_.error("cannot keep accepted event ids in " + dir_ + ": " + problem +
                  ". Events still flow and replay, but after a broker crash a spooled event it had taken may "
                  "be shown twice. Make " + dir_ + " writable by the broker's user (or set "
                  "plugins.spool_replay.config.dir and HOOKBROKER_SPOOL_DIR to one that is); retrying every "
                  "poll");
    else if (!previous.empty())
      host_.info("keeping accepted event ids in " + dir_ + " again");
  }

  std::string journal_problem() const {
    std::lock_guard<std::mutex> lock(problem_mutex_);
    return journal_problem_;
  }

  /// Compacts on the blocking pool: it reads the spool and fsyncs.
  void compact_later() {
    if (compacting_->exchange(true)) return;
    host_.run_blocking([ids = ids_, spool_dir = dir_, busy = compacting_, host = &host_]() {
      std::string error;
      if (!ids->compact(spool::waiting_event_ids(spool::SpoolDir(spool_dir)), error))
        host->warn("could not compact " + ids->current_path() + ": " + error + " (it stays as it is)");
      *busy = false;
    });
  }

  HostApi& host_;
  const std::string dir_;
  const std::chrono::milliseconds start_delay_;
  const std::chrono::milliseconds poll_interval_;
  std::shared_ptr<spool_replay::AcceptedIds> ids_;
  std::shared_ptr<spool_replay::ReplayRunner> runner_;
  boost::asio::steady_timer timer_;
  bool stopped_ = false;
  std::shared_ptr<std::atomic<bool>> compacting_ = std::make_shared<std::atomic<bool>>(false);
  mutable std::mutex problem_mutex_;
  std::string journal_problem_;
};

}  // namespace

HOOKBROKER_PLUGIN(SpoolReplayPlugin, [] {
  hookbroker::PluginInfo info;
  info.name = "spool_replay";
  info.version = "1.0.0";
  info.description = "Replays hook events spooled by hookbroker-hook while the broker was away, in order, exactly once";
  info.heartbeat_keys = "spool_replay";
  info.options = {
      hookbroker::option("dir", hookbroker::ConfigType::String, R"("")",
                         "Spool directory (default STATE_DIR/spool, where hookbroker-hook writes)"),
      hookbroker::renamed(hookbroker::ranged_option("start_delay_s", hookbroker::ConfigType::Number, "0",
                                                    "Seconds after the broker is up before the first drain", 0, 60),
                          "start_delay"),
      hookbroker::renamed(hookbroker::ranged_option("poll_interval_s", hookbroker::ConfigType::Number, "2",
                                                    "Seconds between checks for waiting events; 0 = only on start "
                                                    "and on request",
                                                    0, 3600),
                          "poll_interval"),
      hookbroker::ranged_option("window", hookbroker::ConfigType::Int, "64",
                                "Events offered to the broker before the first must be answered", 1, 4096),
      hookbroker::ranged_option("keep_ids", hookbroker::ConfigType::Int, "50000",
                                "Accepted event ids the journal keeps at most (the newest)", 100, 10000000),
      hookbroker::ranged_option("keep_ids_s", hookbroker::ConfigType::Number, "60",
                                "Seconds an accepted event id stays in the journal when no spooled event needs "
                                "it; keep it above the forwarders' HOOKBROKER_HOOK_TIMEOUT_MS",
                                1, 86400),
  };
  return info;
}())
