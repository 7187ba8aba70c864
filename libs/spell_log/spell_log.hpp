// A condition that comes in bursts, logged so that an operator sees it
// without the log drowning in it: 100,000 refused connections or guessed
// tokens a second must make a few lines, not 100,000, and a condition that
// flaps (a connection limit left and reached again as connections come and
// go) must not make a pair of lines per flap.
//
// A spell begins with an occurrence while none is going on: occurred()
// returns true and the caller logs that first occurrence with its details.
// While occurrences go on, `summary` is called once per interval with how
// many came in it. An interval without any ends the spell: `ended` is called
// with the spell's total and length.
//
// Any thread. The callbacks run on the io_context, never under the caller's
// call to occurred(), so they may take the caller's own locks.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>

namespace hookbroker::spell_log {

class SpellLog {
 public:
  struct Report {
    /// `count` more occurrences in the interval just passed (never 0).
    std::function<void(std::size_t count)> summary;
    /// A whole interval passed without one: the spell had `total`
    /// occurrences (the first included) from first to last over `lasted`.
    std::function<void(std::size_t total, std::chrono::milliseconds lasted)> ended;
  };

  SpellLog(boost::asio::io_context& io, std::chrono::milliseconds interval, Report report);
  ~SpellLog();
  SpellLog(const SpellLog&) = delete;
  SpellLog& operator=(const SpellLog&) = delete;

  /// One occurrence. True when it begins a spell: log it now, with details.
  bool occurred();

  std::chrono::milliseconds interval() const;

  struct State;

 private:
  std::shared_ptr<State> state_;
};

/// "0.3 s", "60 s": an interval as log lines name it.
std::string seconds_text(std::chrono::milliseconds interval);

}  // namespace hookbroker::spell_log
