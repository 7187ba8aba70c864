#include "runtime/heartbeat.hpp"

#include <algorithm>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>

#include "hookbroker/time.hpp"
#include "runtime/heartbeat_envelope.hpp"

namespace hookbroker::core {

struct Heartbeat::Tick {
  explicit Tick(Strand& strand) : deadline(strand) {}
  nlohmann::json data;
  std::vector<SerializedValue> serialized;  ///< values spliced in as text
  std::vector<bool> answered;
  std::size_t waiting = 0;
  nlohmann::json errors = nlohmann::json::array();
  boost::asio::steady_timer deadline;
  bool finished = false;
  Clock::time_point started;
};

Heartbeat::Heartbeat(boost::asio::io_context& io, double interval_s, double contributor_timeout_s,
                     HeartbeatHooks hooks, std::shared_ptr<spdlog::logger> log)
    : strand_(boost::asio::make_strand(io)),
      timer_(strand_),
      interval_(std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(interval_s))),
      hooks_(std::move(hooks)),
      log_(std::move(log)) {
  const auto timeout = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(contributor_timeout_s));
  contributor_deadline_ = std::min(timeout, interval_ / 2);
}

void Heartbeat::set_contributors(std::vector<ContributorRef> contributors) {
  boost::asio::post(strand_, [this, contributors = std::move(contributors)]() mutable {
    contributors_ = std::move(contributors);
  });
}

void Heartbeat::start() {
  boost::asio::post(strand_, [this]() {
    next_deadline_ = Clock::now() + interval_;
    arm();
  });
}

void Heartbeat::arm() {
  timer_.expires_at(next_deadline_);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || stopping_) return;
    // Schedule from the previous deadline, not from now: no cumulative drift.
    // If the process was stalled past whole intervals, skip them rather than
    // sending a burst.
    next_deadline_ += interval_;
    const auto now = Clock::now();
    if (next_deadline_ <= now) {
      const auto behind = (now - next_deadline_) / interval_ + 1;
      next_deadline_ += behind * interval_;
    }
    arm();
    begin_tick();
  });
}

void Heartbeat::begin_tick() {
  auto tick = std::make_shared<Tick>(strand_);
  tick->started = Clock::now();
  try {
    tick->data = hooks_.core_data();
  } catch (const std::exception& e) {
    tick->data = nlohmann::json::object();
    tick->errors.push_back({{"plugin", "core"}, {"error", e.what()}});
  } catch (...) {
    tick->data = nlohmann::json::object();
    tick->errors.push_back({{"plugin", "core"}, {"error", "a non-standard exception"}});
  }
  // The tick's own cost, measured here rather than by a plugin, whose view
  // would include queueing on its strand (benchmarks and /metrics read it).
  if (previous_tick_ms_ >= 0) tick->data[kPreviousTickKey] = previous_tick_ms_;
  tick->answered.assign(contributors_.size(), false);
  in_flight_ = tick;

  for (std::size_t i = 0; i < contributors_.size(); ++i) {
    const ContributorRef& c = contributors_[i];
    if (c.busy->exchange(true)) {
      tick->answered[i] = true;
      tick->errors.push_back({{"plugin", c.plugin},
                              {"error", "still running an earlier call that missed its deadline; skipped"}});
      continue;
    }
    ++tick->waiting;
    boost::asio::post(*c.strand, [this, tick, i, c]() {
      nlohmann::json result;
      std::vector<SerializedValue> serialized;
      std::string error;
      try {
        result = c.object->contribute();
        if (c.serialized) serialized = c.object->contribute_serialized();
      } catch (const std::exception& e) {
        error = std::string("threw: ") + e.what();
      } catch (...) {
        error = "threw a non-standard exception";
      }
      c.busy->store(false);
      boost::asio::post(strand_, [this, tick, i, result = std::move(result), serialized = std::move(serialized),
                                  error = std::move(error)]() mutable {
        collect(tick, i, std::move(result), std::move(serialized), std::move(error));
      });
    });
  }
  if (tick->waiting == 0) {
    finish_tick(tick);
    return;
  }
  tick->deadline.expires_after(contributor_deadline_);
  tick->deadline.async_wait([this, tick](const boost::system::error_code& ec) {
    if (ec || tick->finished) return;
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(contributor_deadline_).count();
    for (std::size_t i = 0; i < tick->answered.size(); ++i) {
      if (tick->answered[i]) continue;
      tick->errors.push_back({{"plugin", contributors_[i].plugin},
                              {"error", "missed the " + std::to_string(ms) + " ms deadline; skipped this tick"}});
    }
    finish_tick(tick);
  });
}

void Heartbeat::collect(const std::shared_ptr<Tick>& tick, std::size_t index, nlohmann::json result,
                        std::vector<SerializedValue> serialized, std::string error) {
  if (tick->finished || index >= tick->answered.size() || tick->answered[index]) return;
  tick->answered[index] = true;
  const ContributorRef& c = contributors_[index];
  if (error.empty() && !result.is_object() && !result.is_null())
    error = "returned " + std::string(result.type_name()) + " instead of an object";
  if (!error.empty()) {
    tick->errors.push_back({{"plugin", c.plugin}, {"error", error}});
  } else if (result.is_object()) {
    for (auto it = result.begin(); it != result.end(); ++it) {
      if (std::find(c.keys.begin(), c.keys.end(), it.key()) == c.keys.end()) {
        tick->errors.push_back({{"plugin", c.plugin},
                                {"error", "returned undeclared key '" + it.key() +
                                              "'; declare it in PluginInfo::heartbeat_keys"}});
        continue;
      }
      tick->data[it.key()] = std::move(it.value());
    }
  }
  if (error.empty()) {
    for (auto& value : serialized) {
      if (std::find(c.keys.begin(), c.keys.end(), value.key) == c.keys.end()) {
        tick->errors.push_back({{"plugin", c.plugin},
                                {"error", "returned undeclared key '" + value.key +
                                              "'; declare it in PluginInfo::heartbeat_keys"}});
        continue;
      }
      if (!valid_json(c.plugin, value)) {
        tick->errors.push_back({{"plugin", c.plugin},
                                {"error", "returned key '" + value.key + "' as text that is not valid JSON; dropped"}});
        continue;
      }
      const auto same = [&](const SerializedValue& v) { return v.key == value.key; };
      tick->serialized.erase(std::remove_if(tick->serialized.begin(), tick->serialized.end(), same),
                             tick->serialized.end());
      tick->serialized.push_back(std::move(value));
    }
  }
  if (--tick->waiting == 0) finish_tick(tick);
}

bool Heartbeat::valid_json(const std::string& plugin, const SerializedValue& value) {
  if (!value.json) return false;
  // One plugin's broken text must not break the heartbeat for every client,
  // but checking 40 kB costs more than the tree copy the text saves: a text
  // seen before (the same shared string: unchanged since the last tick) was
  // checked then.
  auto& seen = validated_[plugin + '\0' + value.key];
  if (seen == value.json) return true;
  if (!nlohmann::json::accept(*value.json)) return false;
  seen = value.json;
  return true;
}

void Heartbeat::finish_tick(const std::shared_ptr<Tick>& tick) {
  if (tick->finished) return;
  tick->finished = true;
  tick->deadline.cancel();
  for (const auto& error : tick->errors)
    log_->warn("heartbeat contributor '{}' {}", error["plugin"].get<std::string>(), error["error"].get<std::string>());
  tick->data["plugin_errors"] = std::move(tick->errors);
  for (const auto& value : tick->serialized) tick->data.erase(value.key);  // the text wins
  try {
    nlohmann::json heartbeat = heartbeat_envelope(std::move(tick->data), now_iso8601_utc());
    hooks_.send(std::make_shared<const std::string>(serialize_heartbeat(heartbeat, tick->serialized)));
    previous_tick_ms_ = std::chrono::duration<double, std::milli>(Clock::now() - tick->started).count();
    const auto& d = heartbeat["data"];
    log_->info("System heartbeat sent - clients: {}, uptime: {}s, events: {}, sessions: {}",
               d.value("connected_clients", 0), d.value("uptime_seconds", 0), d.value("total_events", std::uint64_t{0}),
               hooks_.session_count());
    hooks_.after(with_serialized_values(std::move(heartbeat), tick->serialized));
  } catch (const std::exception& e) {
    // A failing heartbeat never stops the loop: the next tick is already armed.
    log_->error("heartbeat failed: {}", e.what());
  } catch (...) {
    log_->error("heartbeat failed: a non-standard exception");
  }
  if (in_flight_ == tick) in_flight_.reset();
  if (stopping_ && on_stopped_) {
    auto stopped = std::move(on_stopped_);
    on_stopped_ = nullptr;
    stopped();
  }
}

void Heartbeat::stop(std::function<void()> stopped) {
  boost::asio::post(strand_, [this, stopped = std::move(stopped)]() mutable {
    stopping_ = true;
    timer_.cancel();
    if (in_flight_ && !in_flight_->finished) {
      on_stopped_ = std::move(stopped);  // finish the tick in flight first
    } else {
      stopped();
    }
  });
}

}  // namespace hookbroker::core
