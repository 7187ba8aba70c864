// spool_replay: brings events the hook forwarder spooled while the broker was
// away into the broker, in the order they happened, each exactly once.
//
//  - drains STATE_DIR/spool shortly after the broker starts, whenever a hook
//    asks (POST /api/spool/drain: hookbroker-hook does so when it queues an
//    event behind others), and every poll_interval_s while events wait;
//  - ingests each record with source "spool", its original time and
//    "replayed": true, under the event id the forwarder gave it;
//  - is an EventSink recording every accepted event id on disk, so an event
//    the broker took just before being killed is not replayed a second time
//    (accepted_ids.hpp explains the window this closes).
#include <boost/asio/steady_timer.hpp>

#include "accepted_ids.hpp"
#include "hookbroker/hookbroker.hpp"
#include "replay_runner.hpp"

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
        ids_(std::make_shared<spool_replay::AcceptedIds>(dir_, config.at("keep_ids").get<std::size_t>())),
        runner_(std::make_shared<spool_replay::ReplayRunner>(host, dir_, config.at("window").get<std::size_t>(), ids_)),
        timer_(host.strand()) {}


  void start() override {
    std::string error;
    if (!ids_->open(error))
      throw std::runtime_error("cannot keep accepted event ids in " + dir_ + ": " + error +
                               " (make the directory writable or set plugins.spool_replay.config.dir)");
    host_.info("spool " + dir_ + ": " + std::to_string(runner_->spool().pending_bytes()) + " bytes waiting, " +
               std::to_string(ids_->loaded_count()) + " event ids from earlier runs");
    host_.add_http_route("POST", "/api/spool/drain", [this](const HttpRequest&, HttpReply reply) {
      runner_->request();
      reply(HttpResponse::json(202, {{"draining", true}, {"pending_bytes", runner_->spool().pending_bytes()}}));
    });
  }

  // The first drain waits until every plugin runs: replayed events must find
  // every handler, sink and transport loaded.
  void on_broker_started() override { arm(start_delay_); }

  void stop() override {
    stopped_ = true;
    timer_.cancel();
    // Never block this strand in stop(): the sink's pending consume() calls
    // run on it and must record their ids before the broker goes down. The
    // drain sees the flag between records and ends on its own.
    runner_->stop(std::chrono::milliseconds(0));
  }

  void consume(std::shared_ptr<const nlohmann::json> event, std::function<void()> done) override {
    if (auto it = event->find("event_id"); it != event->end() && it->is_string()) ids_->record(it->get<std::string>());
    done();
  }

  nlohmann::json contribute() override { return {{"spool_replay", runner_->stats()}}; }

 private:
  void arm(std::chrono::milliseconds after) {
    if (stopped_) return;
    timer_.expires_after(after);
    timer_.async_wait([this](const boost::system::error_code& ec) {
      if (ec || stopped_) return;
      if (runner_->spool().has_pending()) runner_->request();
      if (poll_interval_.count() > 0) arm(poll_interval_);
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
                                "Accepted event ids per journal generation (two are kept)", 100, 10000000),
  };
  return info;
}())
