// The log of failed authentications (a missing or wrong token on an HTTP
// route or a Socket.IO CONNECT). A guesser can fail ~100,000 times a second;
// logging each would flood the log and hide everything else, logging none
// hid the guessing. So the first failure of a spell is logged at once, with
// its peer; while failures go on, one summary per interval gives their
// count by kind and the peer addresses they came from, busiest first; a
// quiet interval ends the spell.
//
// Any thread. The spell's timing is libs/spell_log's.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <spdlog/logger.h>

#include "spell_log/spell_log.hpp"

namespace hookbroker::core {

/// What a request presented instead of the broker's token.
enum class Credential { Accepted, Missing, Wrong };

class AuthFailureLog {
 public:
  AuthFailureLog(boost::asio::io_context& io, std::chrono::milliseconds interval,
                 std::shared_ptr<spdlog::logger> log);
  ~AuthFailureLog();
  AuthFailureLog(const AuthFailureLog&) = delete;
  AuthFailureLog& operator=(const AuthFailureLog&) = delete;

  /// One failure: `credential` Missing or Wrong, `what` the kind of request
  /// ("Socket.IO CONNECT", "HTTP GET /api/routes"), `remote` "address:port".
  void record(Credential credential, const std::string& what, const std::string& remote);

 private:
  void summarise(std::size_t count);

  std::shared_ptr<spdlog::logger> log_;
  std::mutex mutex_;  ///< guards the counts below
  std::map<std::string, std::size_t> kinds_;  ///< "wrong token on Socket.IO CONNECT" -> count
  std::map<std::string, std::size_t> peers_;  ///< address -> count (bounded)
  std::size_t other_peers_ = 0;               ///< failures from addresses past the bound
  spell_log::SpellLog spell_;  ///< last: its callbacks use the members above
};

}  // namespace hookbroker::core
