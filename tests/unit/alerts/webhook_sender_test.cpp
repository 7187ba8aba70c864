// Webhook delivery against a loopback receiver: success, retries with
// backoff, giving up, timeouts, and never blocking the caller.
#include "webhook_sender.hpp"

#include <gtest/gtest.h>

#include <boost/asio/post.hpp>

#include "hookbroker/testing/fake_host.hpp"
#include "loopback_receiver.hpp"

namespace {

using namespace hookbroker::alerts;
using namespace std::chrono_literals;
using alerts_test::LoopbackReceiver;
using hookbroker::testing::FakeHost;

class Webhooks : public ::testing::Test {
 protected:
  void SetUp() override { host_.start_threads(1); }
  void TearDown() override {
    if (sender_) host_.on_strand([&] { sender_->stop(); });
    host_.stop_threads();
  }
  void make_sender(std::vector<std::string> urls, unsigned retries = 3, std::chrono::milliseconds backoff = 50ms,
                   std::chrono::milliseconds timeout = 2000ms, std::size_t max_pending = 100) {
    WebhookPolicy policy;
    for (const auto& u : urls) policy.urls.push_back(parse_webhook_url(u));
    policy.retries = retries;
    policy.backoff = backoff;
    policy.timeout = timeout;
    policy.max_pending = max_pending;
    sender_ = std::make_unique<WebhookSender>(host_.strand(), policy, "test-agent",
                                              [this](hookbroker::LogLevel l, const std::string& m) { host_.log(l, m); });
  }
  void send(const std::string& body) {
    host_.on_strand([&] { sender_->send(body); });
  }
  bool stat_is(const char* key, std::uint64_t value) {
    return FakeHost::wait_until([&] { return sender_->stats()[key] == value; }, 5s);
  }

  FakeHost host_{"alerts"};
  std::unique_ptr<WebhookSender> sender_;
};

TEST_F(Webhooks, PostsTheBodyToEveryUrl) {
  LoopbackReceiver a, b;
  make_sender({a.url("/one"), b.url("/two")});
  send(R"({"type":"system","event":"alert"})");
  ASSERT_TRUE(a.wait_for(1, 5s));
  ASSERT_TRUE(b.wait_for(1, 5s));
  EXPECT_EQ(a.bodies()[0], R"({"type":"system","event":"alert"})");
  EXPECT_TRUE(stat_is("sent", 2));
  EXPECT_EQ(sender_->stats()["failed"], 0);
  EXPECT_TRUE(stat_is("in_flight", 0));
}

TEST_F(Webhooks, RetriesFailuresWithDoublingBackoff) {
  LoopbackReceiver receiver({500, 503, 200});
  make_sender({receiver.url()}, 3, 100ms);
  send("{}");
  ASSERT_TRUE(receiver.wait_for(3, 5s));
  EXPECT_TRUE(stat_is("sent", 1));
  EXPECT_EQ(sender_->stats()["retries"], 2);
  const auto at = receiver.arrivals();
  EXPECT_GE(at[1] - at[0], 100ms);
  EXPECT_GE(at[2] - at[1], 200ms);
  EXPECT_TRUE(host_.has_log(hookbroker::LogLevel::Info, "delivered on attempt 3"));
}

TEST_F(Webhooks, GivesUpAfterTheRetriesAndSaysSo) {
  LoopbackReceiver receiver({500, 500, 500, 500});
  make_sender({receiver.url()}, 2, 10ms);
  send("{}");
  EXPECT_TRUE(stat_is("failed", 1));
  EXPECT_EQ(receiver.bodies().size(), 3u);
  EXPECT_TRUE(host_.has_log(hookbroker::LogLevel::Warn, "failed after 3 attempt(s): answered HTTP 500"));
}

TEST_F(Webhooks, AReceiverThatNeverAnswersTimesOutAndIsRetried) {
  LoopbackReceiver receiver({0, 200});
  make_sender({receiver.url()}, 1, 10ms, 300ms);
  const auto start = std::chrono::steady_clock::now();
  send("{}");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 200ms) << "send() must not wait for the network";
  ASSERT_TRUE(receiver.wait_for(2, 5s));
  EXPECT_TRUE(stat_is("sent", 1));
  // The first attempt's clock starts at send(), before the receiver reads
  // the request, so only the span from send() is bounded below.
  EXPECT_GE(receiver.arrivals()[1] - start, 300ms);
}

TEST_F(Webhooks, UnreachableReceiverFailsWithTheReason) {
  unsigned short closed_port;
  {
    LoopbackReceiver gone;
    closed_port = gone.port();
  }
  make_sender({"http://127.0.0.1:" + std::to_string(closed_port) + "/x"}, 1, 10ms);
  send("{}");
  EXPECT_TRUE(stat_is("failed", 1));
  EXPECT_TRUE(host_.has_log(hookbroker::LogLevel::Warn, "cannot connect"));
}

TEST_F(Webhooks, BeyondMaxPendingDeliveriesAreDroppedNotQueued) {
  LoopbackReceiver receiver({0, 0, 0});
  make_sender({receiver.url()}, 0, 10ms, 3000ms, 2);
  send("1");
  send("2");
  send("3");
  EXPECT_EQ(sender_->stats()["dropped"], 1);
  EXPECT_EQ(sender_->stats()["in_flight"], 2);
  EXPECT_TRUE(host_.has_log(hookbroker::LogLevel::Warn, "2 deliveries already in flight"));
  EXPECT_TRUE(receiver.wait_for(2, 5s));
  EXPECT_EQ(receiver.bodies().size(), 2u) << "the dropped body must never be sent";
  host_.on_strand([&] { sender_->stop(); });  // before the receiver closes the held connections
  EXPECT_TRUE(stat_is("in_flight", 0));
}

TEST_F(Webhooks, StopAbandonsDeliveriesInFlight) {
  LoopbackReceiver receiver({0});
  make_sender({receiver.url()}, 5, 10ms, 10000ms);
  send("{}");
  ASSERT_TRUE(receiver.wait_for(1, 5s));
  host_.on_strand([&] { sender_->stop(); });
  EXPECT_TRUE(stat_is("in_flight", 0));
  EXPECT_EQ(sender_->stats()["sent"], 0);
}

}  // namespace
