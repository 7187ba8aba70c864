#include "spell_log/spell_log.hpp"

#include <boost/asio/steady_timer.hpp>
#include <cstdio>
#include <mutex>
#include <string>

namespace hookbroker::spell_log {

struct SpellLog::State : std::enable_shared_from_this<State> {
  State(boost::asio::io_context& io, std::chrono::milliseconds every, Report r)
      : interval(every), report(std::move(r)), timer(io) {}

  const std::chrono::milliseconds interval;
  const Report report;
  std::mutex mutex;
  boost::asio::steady_timer timer;
  bool in_spell = false;
  std::size_t in_interval = 0;  ///< occurrences since the last line
  std::size_t total = 0;
  std::chrono::steady_clock::time_point first;
  std::chrono::steady_clock::time_point last;

  /// Under `mutex`.
  void arm() {
    timer.expires_after(interval);
    // A weak pointer: the owner may be gone when a cancelled wait completes.
    timer.async_wait([weak = weak_from_this()](const boost::system::error_code& ec) {
      if (auto self = weak.lock(); self && !ec) self->tick();
    });
  }

  void tick() {
    std::size_t count = 0;
    std::size_t spell_total = 0;
    std::chrono::milliseconds lasted{};
    {
      std::lock_guard lock(mutex);
      count = in_interval;
      in_interval = 0;
      if (count > 0) {
        arm();
      } else {
        in_spell = false;
        spell_total = total;
        lasted = std::chrono::duration_cast<std::chrono::milliseconds>(last - first);
      }
    }
    if (count > 0) {
      if (report.summary) report.summary(count);
    } else if (report.ended) {
      report.ended(spell_total, lasted);
    }
  }
};

SpellLog::SpellLog(boost::asio::io_context& io, std::chrono::milliseconds interval, Report report)
    : state_(std::make_shared<State>(io, interval, std::move(report))) {}

SpellLog::~SpellLog() {
  std::lock_guard lock(state_->mutex);
  state_->timer.cancel();
}

bool SpellLog::occurred() {
  std::lock_guard lock(state_->mutex);
  const auto now = std::chrono::steady_clock::now();
  state_->last = now;
  if (state_->in_spell) {
    ++state_->in_interval;
    ++state_->total;
    return false;
  }
  state_->in_spell = true;
  state_->in_interval = 0;
  state_->total = 1;
  state_->first = now;
  state_->arm();
  return true;
}

std::chrono::milliseconds SpellLog::interval() const { return state_->interval; }

std::string seconds_text(std::chrono::milliseconds interval) {
  char text[32];
  std::snprintf(text, sizeof text, "%g s", static_cast<double>(interval.count()) / 1000.0);
  return text;
}

}  // namespace hookbroker::spell_log
