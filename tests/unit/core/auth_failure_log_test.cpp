// The log of failed authentications: the first failure of a spell at once,
// then one summary per interval with counts by kind and by peer address,
// bounded however many peers there are; a quiet interval ends the spell.
#include <gtest/gtest.h>

#include <sstream>

#include <spdlog/sinks/ostream_sink.h>

#include "http/auth_failure_log.hpp"

namespace hookbroker::core {
namespace {

using namespace std::chrono_literals;

struct CapturedLog {
  std::ostringstream text;
  std::shared_ptr<spdlog::logger> logger;
  CapturedLog() {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(text);
    logger = std::make_shared<spdlog::logger>("core", sink);
    logger->set_pattern("%l %v");
  }
  std::vector<std::string> lines() {
    std::vector<std::string> out;
    std::istringstream in(text.str());
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
  }
};

TEST(AuthFailureLog, FirstFailureAtOnceThenOneSummaryPerInterval) {
  boost::asio::io_context io;
  CapturedLog log;
  AuthFailureLog failures(io, 50ms, log.logger);
  failures.record(Credential::Wrong, "Socket.IO CONNECT", "127.0.0.1:5000");
  ASSERT_EQ(log.lines().size(), 1u);
  EXPECT_EQ(log.lines()[0],
            "warning authentication failed: wrong token on Socket.IO CONNECT from 127.0.0.1:5000; further failures "
            "are summarised every 0.05 s");
  for (int i = 0; i < 1000; ++i) failures.record(Credential::Wrong, "Socket.IO CONNECT", "127.0.0.1:" + std::to_string(6000 + i));
  failures.record(Credential::Missing, "HTTP GET /api/routes", "::1:7000");
  EXPECT_EQ(log.lines().size(), 1u);  // nothing more until the interval ends
  io.run_for(1s);  // the summary, then a quiet interval ends the spell and the timer
  const auto lines = log.lines();
  ASSERT_EQ(lines.size(), 2u) << log.text.str();
  EXPECT_EQ(lines[1],
            "warning authentication failures in the last 0.05 s: 1001 (wrong token on Socket.IO CONNECT (1000), "
            "no token on HTTP GET /api/routes (1)) from 127.0.0.1 (1000), ::1 (1)");

  // A new spell is reported at once again.
  failures.record(Credential::Wrong, "HTTP GET /api/routes", "10.0.0.7:1");
  EXPECT_EQ(log.lines().size(), 3u);
  EXPECT_NE(log.lines()[2].find("authentication failed: wrong token on HTTP GET /api/routes from 10.0.0.7:1"),
            std::string::npos);
}

TEST(AuthFailureLog, ASummaryOfManyPeersNamesTheBusiestAndCountsTheRest) {
  boost::asio::io_context io;
  CapturedLog log;
  AuthFailureLog failures(io, 20ms, log.logger);
  failures.record(Credential::Wrong, "Socket.IO CONNECT", "10.0.0.1:1");
  for (int peer = 0; peer < 500; ++peer)
    for (int n = 0; n < (peer == 7 ? 50 : 1); ++n)
      failures.record(Credential::Wrong, "Socket.IO CONNECT", "10.1." + std::to_string(peer / 256) + "." +
                                                                  std::to_string(peer % 256) + ":1");
  io.run_for(1s);
  const auto lines = log.lines();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_NE(lines[1].find(": 549 ("), std::string::npos) << lines[1];
  EXPECT_NE(lines[1].find("from 10.1.0.7 (50), "), std::string::npos) << lines[1];
  EXPECT_NE(lines[1].find(" and others ("), std::string::npos) << lines[1];
  EXPECT_LT(lines[1].size(), 400u);
}

}  // namespace
}  // namespace hookbroker::core
