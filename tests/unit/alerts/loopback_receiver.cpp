#include "loopback_receiver.hpp"

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace alerts_test {

namespace http = boost::beast::http;
using boost::asio::ip::tcp;

LoopbackReceiver::LoopbackReceiver(std::deque<int> script)
    : acceptor_(io_, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0)), script_(std::move(script)) {
  port_ = acceptor_.local_endpoint().port();
  thread_ = std::thread([this] { serve(); });
}

LoopbackReceiver::~LoopbackReceiver() {
  stopping_ = true;
  // Wake the blocking accept with a connection of our own.
  try {
    tcp::socket wake(io_);
    wake.connect(tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port_));
  } catch (...) {
  }
  thread_.join();
}

std::string LoopbackReceiver::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

std::vector<std::string> LoopbackReceiver::bodies() const {
  std::lock_guard lock(mutex_);
  return bodies_;
}

std::vector<std::chrono::steady_clock::time_point> LoopbackReceiver::arrivals() const {
  std::lock_guard lock(mutex_);
  return arrivals_;
}

bool LoopbackReceiver::wait_for(std::size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return bodies_.size() >= n; });
}

void LoopbackReceiver::serve() {
  while (!stopping_) {
    tcp::socket socket(io_);
    boost::system::error_code ec;
    acceptor_.accept(socket, ec);
    if (ec || stopping_) break;
    boost::beast::flat_buffer buffer;
    http::request<http::string_body> request;
    http::read(socket, buffer, request, ec);
    if (ec) continue;
    int status = 200;
    {
      std::lock_guard lock(mutex_);
      if (!script_.empty()) {
        status = script_.front();
        script_.pop_front();
      }
      bodies_.push_back(request.body());
      arrivals_.push_back(std::chrono::steady_clock::now());
    }
    changed_.notify_all();
    if (status == 0) {
      held_.push_back(std::move(socket));  // never answer: the sender must time out
      continue;
    }
    http::response<http::string_body> response{static_cast<http::status>(status), 11};
    response.body() = "{}";
    response.prepare_payload();
    http::write(socket, response, ec);
    socket.shutdown(tcp::socket::shutdown_both, ec);
  }
}

}  // namespace alerts_test
