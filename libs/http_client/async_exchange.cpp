#include "http_client/async_exchange.hpp"

#include <array>
#include <vector>

#include <boost/asio/buffer.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include "http_client/http_url.hpp"

namespace hookbroker::http_client {
namespace {

using boost::asio::ip::tcp;
using boost::system::error_code;

class Exchange final : public AsyncExchange, public std::enable_shared_from_this<Exchange> {
 public:
  Exchange(const boost::asio::any_io_executor& executor, const Request& request, std::function<void(Answer)> done)
      : request_(request),
        wire_(format_request_head(request).append(request.body)),
        where_(authority(request.host, request.port)),
        done_(std::move(done)),
        resolver_(executor),
        socket_(executor),
        deadline_(executor),
        reader_(request) {
    request_.body = {};  // the caller's bytes may go away; wire_ holds them
  }

  void begin() {
    if (finished_) return;  // cancelled before it began
    deadline_.expires_after(request_.timeout);
    deadline_.async_wait([self = shared_from_this()](const error_code& ec) {
      if (!ec) self->abort(timeout_error(self->request_, self->doing_));
    });
    error_code ec;
    const auto address = boost::asio::ip::make_address(request_.host, ec);
    if (!ec) {  // an address: nothing to resolve
      endpoints_.emplace_back(address, request_.port);
      return connect();
    }
    doing_ = "resolving";
    resolver_.async_resolve(request_.host, std::to_string(request_.port),
                            [self = shared_from_this()](const error_code& e, tcp::resolver::results_type results) {
                              if (self->finished_) return;
                              if (e) return self->fail("cannot resolve " + self->request_.host, e);
                              for (const auto& entry : results) self->endpoints_.push_back(entry.endpoint());
                              self->connect();
                            });
  }

  void cancel() override { abort("cancelled"); }

 private:
  void connect() {
    doing_ = "connecting to";
    boost::asio::async_connect(socket_, endpoints_, [self = shared_from_this()](const error_code& e, const tcp::endpoint&) {
      if (self->finished_) return;
      if (e) return self->fail("cannot connect to " + self->where_, e);
      self->answer_.outcome = Answer::Outcome::NoAnswer;  // the server may get (part of) the request now
      self->send();
    });
  }

  void send() {
    doing_ = "sending to";
    boost::asio::async_write(socket_, boost::asio::buffer(wire_), [self = shared_from_this()](const error_code& e, std::size_t) {
      if (self->finished_) return;
      if (e) return self->fail("cannot send to " + self->where_, e);
      self->answer_.request_fully_sent = true;
      self->doing_ = "waiting for an answer from";
      self->read();
    });
  }

  void read() {
    socket_.async_read_some(boost::asio::buffer(buffer_), [self = shared_from_this()](const error_code& e, std::size_t n) {
      if (self->finished_) return;
      if (n > 0 && self->reader_.add(std::string_view(self->buffer_.data(), n))) return self->answered();
      if (e == boost::asio::error::eof) return self->answered();  // the server closed: whatever arrived is the answer
      if (e) return self->fail("no answer from " + self->where_, e);
      self->read();
    });
  }

  void answered() {
    reader_.finish(answer_);
    complete();
  }

  void fail(const std::string& what, const error_code& ec) {
    if (finished_) return;
    answer_.error = what + ": " + ec.message();
    complete();
  }

  /// The deadline or cancel(): stop every operation; their handlers find the
  /// exchange finished.
  void abort(const std::string& why) {
    if (finished_) return;
    answer_.error = why;
    complete();
  }

  void complete() {
    if (finished_) return;
    finished_ = true;
    deadline_.cancel();
    resolver_.cancel();
    error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
    auto done = std::move(done_);
    done_ = nullptr;
    done(std::move(answer_));
  }

  Request request_;
  const std::string wire_;
  const std::string where_;
  std::function<void(Answer)> done_;
  tcp::resolver resolver_;
  tcp::socket socket_;
  std::vector<tcp::endpoint> endpoints_;
  boost::asio::steady_timer deadline_;
  ResponseReader reader_;
  std::array<char, 4096> buffer_{};
  Answer answer_;
  std::string doing_ = "connecting to";
  bool finished_ = false;
};

}  // namespace

std::shared_ptr<AsyncExchange> start_exchange(const boost::asio::any_io_executor& executor, const Request& request,
                                              std::function<void(Answer)> done) {
  auto exchange = std::make_shared<Exchange>(executor, request, std::move(done));
  boost::asio::post(executor, [exchange] { exchange->begin(); });
  return exchange;
}

}  // namespace hookbroker::http_client
