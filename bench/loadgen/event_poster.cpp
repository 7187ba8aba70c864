#include "event_poster.hpp"

#include <algorithm>
#include <chrono>
#include <memory>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "bench_event.hpp"

namespace loadgen {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

struct Shared {
  const PostPlan& plan;
  std::vector<tcp::endpoint> servers;
  Clock::time_point start;
  std::chrono::nanoseconds period;
  PostReport report;
  Clock::time_point last_answer;

  void problem(const std::string& what) {
    if (report.first_problem.empty()) report.first_problem = what;
  }
};

// One keep-alive connection sending events index, index+K, index+2K, ...
// to one server: K is a multiple of the servers' count, so every event it
// sends is due to servers[first % N].
class PosterConnection : public std::enable_shared_from_this<PosterConnection> {
 public:
  PosterConnection(asio::io_context& io, Shared& shared, std::uint64_t first, unsigned stride)
      : socket_(io), timer_(io), shared_(shared), server_(shared.servers[first % shared.servers.size()]),
        stride_(stride), index_(first) {}

  void start() { schedule(); }
  void abort() {
    boost::system::error_code ignored;
    socket_.close(ignored);
    timer_.cancel();
    index_ = shared_.plan.events;
  }

 private:
  void schedule() {
    if (index_ >= shared_.plan.events) return;
    const auto due = shared_.start + shared_.period * static_cast<std::int64_t>(index_);
    timer_.expires_at(due);
    timer_.async_wait([self = shared_from_this(), due](boost::system::error_code ec) {
      if (ec) return;
      const double lag_ms = std::chrono::duration<double, std::milli>(Clock::now() - due).count();
      self->shared_.report.max_lag_ms = std::max(self->shared_.report.max_lag_ms, lag_ms);
      self->ensure_connected();
    });
  }

  void ensure_connected() {
    if (socket_.is_open()) return send();
    ++shared_.report.connects;
    socket_.async_connect(server_, [self = shared_from_this()](boost::system::error_code ec) {
      if (ec) return self->failed("connect: " + ec.message());
      self->socket_.set_option(tcp::no_delay(true), ec);
      self->send();
    });
  }

  void send() {
    request_ = {http::verb::post, "/api/events", 11};
    request_.set(http::field::host, shared_.plan.host);
    request_.set(http::field::content_type, "application/json");
    request_.keep_alive(true);
    request_.body() = make_bench_event({shared_.plan.run, index_, now_ns()}, shared_.plan.sessions);
    request_.prepare_payload();
    http::async_write(socket_, request_, [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
      if (ec) return self->failed("write: " + ec.message());
      self->response_ = {};
      http::async_read(self->socket_, self->buffer_, self->response_,
                       [self](boost::system::error_code read_ec, std::size_t) { self->answered(read_ec); });
    });
  }

  void answered(boost::system::error_code ec) {
    if (ec) return failed("read: " + ec.message());
    shared_.last_answer = Clock::now();
    if (response_.result_int() == 204) {
      ++shared_.report.accepted;
    } else {
      ++shared_.report.refused;
      shared_.problem("HTTP " + std::to_string(response_.result_int()) + ": " + response_.body().substr(0, 200));
    }
    if (!response_.keep_alive()) close();
    advance();
  }

  void failed(const std::string& what) {
    ++shared_.report.errors;
    shared_.problem(what);
    close();
    advance();
  }

  void close() {
    boost::system::error_code ignored;
    socket_.close(ignored);
    buffer_.clear();
  }

  void advance() {
    index_ += stride_;
    schedule();
  }

  tcp::socket socket_;
  asio::steady_timer timer_;
  Shared& shared_;
  tcp::endpoint server_;
  unsigned stride_;
  std::uint64_t index_;
  boost::beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  http::response<http::string_body> response_;
};

}  // namespace

PostReport post_events(const PostPlan& plan) {
  asio::io_context io{1};
  Shared shared{plan, {}, {}, {}, {}, {}};
  const auto address = asio::ip::make_address(plan.host);
  for (std::uint16_t port : plan.ports) shared.servers.emplace_back(address, port);
  shared.period = std::chrono::nanoseconds(static_cast<std::int64_t>(1e9 / std::max(plan.rate, 1e-3)));
  shared.start = Clock::now() + std::chrono::milliseconds(20);  // time to open the connections
  shared.last_answer = shared.start;

  const auto servers = static_cast<unsigned>(shared.servers.size());
  const unsigned per_server = (std::max(1u, plan.connections) + servers - 1) / servers;
  // Fewer events than connections: each posts one, to the server its index names.
  const unsigned k = static_cast<unsigned>(
      std::min<std::uint64_t>(per_server * servers, std::max<std::uint64_t>(plan.events, 1)));
  std::vector<std::shared_ptr<PosterConnection>> connections;
  for (unsigned i = 0; i < k; ++i) {
    connections.push_back(std::make_shared<PosterConnection>(io, shared, i, k));
    connections.back()->start();
  }
  // Bounded: a server that stops answering cannot hold the benchmark.
  asio::steady_timer deadline(io);
  deadline.expires_at(shared.start + shared.period * static_cast<std::int64_t>(plan.events) + std::chrono::seconds(30));
  deadline.async_wait([&](boost::system::error_code ec) {
    if (ec) return;
    shared.problem("posting did not finish within 30 s of its schedule; gave up");
    for (auto& c : connections) c->abort();
  });
  while (shared.report.accepted + shared.report.refused + shared.report.errors < plan.events && !io.stopped())
    io.run_one();
  deadline.cancel();
  for (auto& c : connections) c->abort();
  io.poll();
  shared.report.seconds = std::chrono::duration<double>(shared.last_answer - shared.start).count();
  return shared.report;
}

}  // namespace loadgen
