// Both drivers of the HTTP client against a loopback receiver: an answer, a
// server that never answers, nobody listening, and (async) cancel.
#include <gtest/gtest.h>

#include <future>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>

#include "http_client/async_exchange.hpp"
#include "http_client/blocking_exchange.hpp"
#include "loopback_receiver.hpp"

namespace hookbroker::http_client {
namespace {

using alerts_test::LoopbackReceiver;
using namespace std::chrono_literals;

Request post_to(unsigned short port, std::chrono::milliseconds timeout = 2000ms) {
  Request r;
  r.method = "POST";
  r.host = "127.0.0.1";
  r.port = port;
  r.target = "/in";
  r.body = R"({"n":1})";
  r.headers = {{"Content-Type", "application/json"}};
  r.timeout = timeout;
  return r;
}

unsigned short closed_port() {
  LoopbackReceiver gone;
  return gone.port();
}

TEST(BlockingExchange, PostsAndReadsTheAnswer) {
  LoopbackReceiver receiver({201});
  const Answer a = exchange(post_to(receiver.port()));
  EXPECT_EQ(a.outcome, Answer::Outcome::Answered) << a.error;
  EXPECT_EQ(a.status, 201);
  EXPECT_TRUE(a.request_fully_sent);
  ASSERT_TRUE(receiver.wait_for(1, 5s));
  EXPECT_EQ(receiver.bodies()[0], R"({"n":1})");
}

TEST(BlockingExchange, ASilentServerTimesOutAfterTheRequestWasSent) {
  LoopbackReceiver receiver({0});
  const Answer a = exchange(post_to(receiver.port(), 300ms));
  EXPECT_EQ(a.outcome, Answer::Outcome::NoAnswer);
  EXPECT_TRUE(a.request_fully_sent);
  EXPECT_NE(a.error.find("timed out after 300 ms"), std::string::npos) << a.error;
}

TEST(BlockingExchange, NobodyListeningIsNotConnected) {
  const Answer a = exchange(post_to(closed_port()));
  EXPECT_EQ(a.outcome, Answer::Outcome::NotConnected);
  EXPECT_NE(a.error.find("cannot connect to 127.0.0.1:"), std::string::npos) << a.error;
  Request named = post_to(80);
  named.host = "localhost";
  EXPECT_NE(exchange(named).error.find("not a numeric address"), std::string::npos);
}

class AsyncExchangeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    thread_ = std::thread([this] { io_.run(); });
  }
  void TearDown() override {
    work_.reset();
    thread_.join();
  }
  /// Runs one exchange and waits for its answer.
  Answer run(const Request& request, bool cancel_at_once = false) {
    std::promise<Answer> promise;
    auto strand = boost::asio::make_strand(io_);
    auto started = start_exchange(strand, request, [&](Answer a) { promise.set_value(std::move(a)); });
    if (cancel_at_once) boost::asio::post(strand, [started] { started->cancel(); });
    auto future = promise.get_future();
    EXPECT_EQ(future.wait_for(10s), std::future_status::ready);
    return future.get();
  }

  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_{io_.get_executor()};
  std::thread thread_;
};

TEST_F(AsyncExchangeTest, PostsAndReadsTheAnswerByName) {
  LoopbackReceiver receiver({202});
  Request r = post_to(receiver.port());
  r.host = "localhost";  // resolved; the receiver listens on 127.0.0.1
  const Answer a = run(r);
  EXPECT_EQ(a.status, 202) << a.error;
  ASSERT_TRUE(receiver.wait_for(1, 5s));
  EXPECT_EQ(receiver.bodies()[0], R"({"n":1})");
}

TEST_F(AsyncExchangeTest, ASilentServerTimesOut) {
  LoopbackReceiver receiver({0});
  const Answer a = run(post_to(receiver.port(), 300ms));
  EXPECT_EQ(a.outcome, Answer::Outcome::NoAnswer);
  EXPECT_NE(a.error.find("timed out after 300 ms"), std::string::npos) << a.error;
}

TEST_F(AsyncExchangeTest, NobodyListeningIsNotConnected) {
  const Answer a = run(post_to(closed_port()));
  EXPECT_EQ(a.outcome, Answer::Outcome::NotConnected);
  EXPECT_NE(a.error.find("cannot connect to 127.0.0.1:"), std::string::npos) << a.error;
}

TEST_F(AsyncExchangeTest, CancelEndsItWithTheReason) {
  LoopbackReceiver receiver({0});
  const Answer a = run(post_to(receiver.port(), 5000ms), /*cancel_at_once=*/true);
  EXPECT_EQ(a.error, "cancelled");
}

}  // namespace
}  // namespace hookbroker::http_client
