// A webhook receiver on 127.0.0.1 for tests: records every request body and
// answers with the statuses it is told to (or not at all, to test timeouts).
// Runs its own thread; synchronous Boost.Beast, one connection at a time.
#pragma once

#include <atomic>
#include <condition_variable>
#include <chrono>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace alerts_test {

class LoopbackReceiver {
 public:
  /// Status 0 in the script means: read the request, never answer.
  explicit LoopbackReceiver(std::deque<int> script = {});
  ~LoopbackReceiver();
  LoopbackReceiver(const LoopbackReceiver&) = delete;
  LoopbackReceiver& operator=(const LoopbackReceiver&) = delete;

  unsigned short port() const { return port_; }
  std::string url(const std::string& path = "/hook") const;

  /// Bodies of every request read so far (answered or not).
  std::vector<std::string> bodies() const;
  /// Waits until at least `n` requests arrived.
  bool wait_for(std::size_t n, std::chrono::milliseconds timeout) const;
  /// Arrival times, for checking backoff.
  std::vector<std::chrono::steady_clock::time_point> arrivals() const;

 private:
  void serve();

  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  unsigned short port_ = 0;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::deque<int> script_;
  std::vector<std::string> bodies_;
  std::vector<std::chrono::steady_clock::time_point> arrivals_;
  std::vector<boost::asio::ip::tcp::socket> held_;  ///< unanswered connections, kept open
};

}  // namespace alerts_test
