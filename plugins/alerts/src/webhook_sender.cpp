#include "webhook_sender.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace hookbroker::alerts {

namespace beast = boost::beast;
namespace http = boost::beast::http;
using boost::asio::ip::tcp;

namespace {
class Delivery;
}  // namespace

struct WebhookSender::Shared {
  Log log;
  std::atomic<std::uint64_t> sent{0}, failed{0}, dropped{0}, retries{0};
  std::atomic<std::size_t> in_flight{0};
  bool stopped = false;  ///< strand only
  /// Deliveries not finished yet, for stop(); strand only. Weak: a delivery
  /// owns the Shared block, so owning deliveries here would be a cycle that
  /// leaks every delivery the io_context drops unfinished at shutdown.
  std::set<std::weak_ptr<Delivery>, std::owner_less<std::weak_ptr<Delivery>>> live;
};

namespace {

/// One POST of one body to one URL, with its retries.
class Delivery : public std::enable_shared_from_this<Delivery> {
 public:
  Delivery(Strand& strand, const WebhookPolicy& policy, WebhookUrl url, std::string body,
           const std::string& user_agent, std::shared_ptr<WebhookSender::Shared> shared)
      : policy_(policy),
        url_(std::move(url)),
        shared_(std::move(shared)),
        resolver_(strand),
        socket_(strand),
        deadline_(strand),
        backoff_(strand) {
    request_.method(http::verb::post);
    request_.target(url_.target);
    request_.set(http::field::host, url_.host + (url_.port == "80" ? "" : ":" + url_.port));
    request_.set(http::field::user_agent, user_agent);
    request_.set(http::field::content_type, "application/json");
    request_.body() = std::move(body);
    request_.prepare_payload();
  }

  void start() { attempt(); }

  void cancel() {
    cancelled_ = true;
    deadline_.cancel();
    backoff_.cancel();
    resolver_.cancel();
    boost::system::error_code ignored;
    socket_.close(ignored);
  }

 private:
  void attempt() {
    ++attempts_;
    timed_out_ = false;
    deadline_.expires_after(policy_.timeout);
    deadline_.async_wait([self = shared_from_this(), attempt = attempts_](const boost::system::error_code& ec) {
      // Cancelled, or expired just as this attempt ended and a new one began.
      if (ec || attempt != self->attempts_) return;
      self->timed_out_ = true;
      self->resolver_.cancel();
      boost::system::error_code ignored;
      self->socket_.close(ignored);
    });
    resolver_.async_resolve(url_.host, url_.port,
                            [self = shared_from_this()](const boost::system::error_code& ec,
                                                        tcp::resolver::results_type results) {
                              if (ec) return self->failed("cannot resolve " + self->url_.host, ec);
                              self->connect(results);
                            });
  }

  void connect(const tcp::resolver::results_type& results) {
    boost::asio::async_connect(socket_, results,
                               [self = shared_from_this()](const boost::system::error_code& ec, const tcp::endpoint&) {
                                 if (ec) return self->failed("cannot connect", ec);
                                 self->write();
                               });
  }

  void write() {
    http::async_write(socket_, request_, [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
      if (ec) return self->failed("cannot send", ec);
      self->read();
    });
  }

  void read() {
    parser_.emplace();
    parser_->body_limit(64 * 1024);  // the answer is only read for its status
    http::async_read(socket_, buffer_, *parser_,
                     [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
                       if (ec) return self->failed("no answer", ec);
                       const unsigned status = self->parser_->get().result_int();
                       boost::system::error_code ignored;
                       self->socket_.shutdown(tcp::socket::shutdown_both, ignored);
                       self->socket_.close(ignored);
                       if (status >= 200 && status < 300) return self->succeeded();
                       self->failed("answered HTTP " + std::to_string(status), {});
                     });
  }

  void succeeded() {
    deadline_.cancel();
    ++shared_->sent;
    if (attempts_ > 1)
      shared_->log(LogLevel::Info, "webhook " + url_.url + " delivered on attempt " + std::to_string(attempts_));
    finish();
  }

  void failed(const std::string& what, const boost::system::error_code& ec) {
    deadline_.cancel();
    if (cancelled_) return finish();
    std::string reason = timed_out_ ? "timed out after " + std::to_string(policy_.timeout.count()) + " ms"
                                    : what + (ec ? ": " + ec.message() : "");
    boost::system::error_code ignored;
    socket_.close(ignored);
    if (attempts_ > policy_.retries) {
      ++shared_->failed;
      shared_->log(LogLevel::Warn, "webhook " + url_.url + " failed after " + std::to_string(attempts_) +
                                       " attempt(s): " + reason + "; this alert is not delivered there");
      return finish();
    }
    ++shared_->retries;
    const auto wait = policy_.backoff * (1u << std::min(attempts_ - 1, 16u));
    shared_->log(LogLevel::Debug, "webhook " + url_.url + " attempt " + std::to_string(attempts_) + " failed (" +
                                      reason + "); retrying in " + std::to_string(wait.count()) + " ms");
    backoff_.expires_after(wait);
    backoff_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
      if (ec || self->cancelled_) return self->finish();
      self->attempt();
    });
  }

  void finish() {
    if (finished_) return;
    finished_ = true;
    --shared_->in_flight;
    shared_->live.erase(weak_from_this());
  }

  const WebhookPolicy policy_;  ///< a copy: a delivery may outlive the sender
  const WebhookUrl url_;
  std::shared_ptr<WebhookSender::Shared> shared_;
  tcp::resolver resolver_;
  tcp::socket socket_;
  boost::asio::steady_timer deadline_, backoff_;
  http::request<http::string_body> request_{http::verb::post, "/", 11};
  beast::flat_buffer buffer_;
  std::optional<http::response_parser<http::string_body>> parser_;
  unsigned attempts_ = 0;
  bool timed_out_ = false, cancelled_ = false, finished_ = false;
};

}  // namespace

WebhookSender::WebhookSender(Strand& strand, WebhookPolicy policy, std::string user_agent, Log log)
    : strand_(strand), policy_(std::move(policy)), user_agent_(std::move(user_agent)), shared_(std::make_shared<Shared>()) {
  shared_->log = std::move(log);
}

WebhookSender::~WebhookSender() = default;

void WebhookSender::send(const std::string& body) {
  if (shared_->stopped) return;
  for (const auto& url : policy_.urls) {
    if (shared_->in_flight >= policy_.max_pending) {
      ++shared_->dropped;
      shared_->log(LogLevel::Warn, "webhook " + url.url + ": " + std::to_string(policy_.max_pending) +
                                       " deliveries already in flight; this alert is dropped for it");
      continue;
    }
    auto delivery = std::make_shared<Delivery>(strand_, policy_, url, body, user_agent_, shared_);
    ++shared_->in_flight;
    shared_->live.insert(delivery);
    delivery->start();
  }
}

void WebhookSender::stop() {
  shared_->stopped = true;
  auto live = shared_->live;  // cancel() may erase from the set
  for (const auto& weak : live)
    if (auto d = weak.lock()) d->cancel();
}

nlohmann::json WebhookSender::stats() const {
  return {{"urls", policy_.urls.size()},
          {"sent", shared_->sent.load()},
          {"failed", shared_->failed.load()},
          {"dropped", shared_->dropped.load()},
          {"retries", shared_->retries.load()},
          {"in_flight", shared_->in_flight.load()}};
}

}  // namespace hookbroker::alerts
