#include "webhook_sender.hpp"

#include <boost/asio/steady_timer.hpp>

#include "http_client/async_exchange.hpp"

namespace hookbroker::alerts {

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

/// One POST of one body to one URL, with its retries: each attempt is one
/// exchange of libs/http_client under the policy's timeout.
class Delivery : public std::enable_shared_from_this<Delivery> {
 public:
  Delivery(Strand& strand, const WebhookPolicy& policy, http_client::HttpUrl url, std::string body,
           const std::string& user_agent, std::shared_ptr<WebhookSender::Shared> shared)
      : policy_(policy),
        url_(std::move(url)),
        body_(std::move(body)),
        shared_(std::move(shared)),
        strand_(strand),
        backoff_(strand) {
    request_.method = "POST";
    request_.host = url_.host;
    request_.port = url_.port;
    request_.target = url_.target;
    request_.headers = {{"User-Agent", user_agent}, {"Content-Type", "application/json"}};
    request_.timeout = policy_.timeout;
  }

  void start() { attempt(); }

  void cancel() {
    cancelled_ = true;
    backoff_.cancel();
    if (auto exchange = exchange_) exchange->cancel();  // its callback resets exchange_
  }

 private:
  void attempt() {
    ++attempts_;
    request_.body = body_;
    exchange_ = http_client::start_exchange(strand_, request_, [self = shared_from_this()](http_client::Answer answer) {
      self->exchange_.reset();
      if (answer.ok()) return self->succeeded();
      self->failed(answer.outcome == http_client::Answer::Outcome::Answered
                       ? "answered HTTP " + std::to_string(answer.status)
                       : answer.error);
    });
  }

  void succeeded() {
    ++shared_->sent;
    if (attempts_ > 1)
      shared_->log(LogLevel::Info, "webhook " + url_.url + " delivered on attempt " + std::to_string(attempts_));
    finish();
  }

  void failed(const std::string& reason) {
    if (cancelled_) return finish();
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
  const http_client::HttpUrl url_;
  const std::string body_;
  std::shared_ptr<WebhookSender::Shared> shared_;
  Strand strand_;
  boost::asio::steady_timer backoff_;
  http_client::Request request_;
  std::shared_ptr<http_client::AsyncExchange> exchange_;
  unsigned attempts_ = 0;
  bool cancelled_ = false, finished_ = false;
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
