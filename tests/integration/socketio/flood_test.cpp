// Floods against the real broker, each bounded in count and time: descriptor
// exhaustion (the accept loop backs off, answers 503 from its reserve
// descriptor, and recovers), long-lived connections at their cap (hooks'
// POSTs still get through), the connection cap at the door, Engine.IO
// handshake floods (503 past the pending cap, memory bounded, pending ones
// reaped), and token guessing (connection closed after a few failures,
// failures logged once and then in summaries).
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "socketio_broker.hpp"

namespace sio_it {
namespace {

using namespace std::chrono_literals;
using hbtest::BrokerProcess;
using hbtest::scaled;
using hbtest::wait_until;

/// Spells of refusals are summarised every 0.3 s and over after 0.3 s quiet.
const std::vector<std::string> kQuickLogs = transport_option("limit_log_interval_s", "0.3");
const std::string kWebSocketTarget = "/socket.io/?EIO=4&transport=websocket";
const std::string kGetHealth = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

/// CPU time (user + system) the process used so far, in seconds.
double cpu_seconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  const std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::istringstream fields(stat.substr(stat.rfind(')') + 2));  // from field 3, state
  std::string skip;
  for (int field = 3; field < 14; ++field) fields >> skip;
  long long user = 0;
  long long system = 0;
  fields >> user >> system;
  return static_cast<double>(user + system) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

/// Resident memory, in KiB.
long long rss_kib(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("VmRSS:", 0) == 0) return std::stoll(line.substr(6));
  return -1;
}

std::vector<std::string> args_with(std::vector<std::vector<std::string>> options) {
  std::vector<std::string> extra;
  for (auto& o : options) extra.insert(extra.end(), o.begin(), o.end());
  return broker_args(extra);
}

/// WebSocket clients opened one after another until the broker refuses one
/// (at most `most`): they hold their connections and sessions until dropped.
std::vector<std::unique_ptr<WsClient>> open_until_refused(int port, std::size_t most = 100) {
  std::vector<std::unique_ptr<WsClient>> clients;
  while (clients.size() < most) {
    auto ws = std::make_unique<WsClient>(port, kWebSocketTarget);
    if (!ws->open()) break;
    clients.push_back(std::move(ws));
  }
  return clients;
}

bool is_503_with_retry_after(const std::string& answer) {
  return answer.rfind("HTTP/1.1 503", 0) == 0 && answer.find("Retry-After: ") != std::string::npos &&
         answer.find("\"error\"") != std::string::npos;
}

TEST(SocketIoFloods, AtTheDescriptorLimitTheBrokerBacksOffAnswers503AndRecovers) {
#if defined(__SANITIZE_ADDRESS__)
  // UBSan's vptr check probes memory through a pipe(); with no descriptor
  // free it cannot, reports the next virtual call it checks as made on an
  // invalid object, and (built not to recover) ends the broker.
  GTEST_SKIP() << "a sanitizer build cannot run at the descriptor limit";
#endif
  // The connection cap is out of the way, so descriptors run out first.
  BrokerProcess broker(args_with({transport_option("max_connections", "100000"), kQuickLogs}), {},
                       hbtest::broker_binary(), 48);
  const int port = broker.port();
  ASSERT_GT(port, 0) << broker.output();

  // WebSockets hold their descriptors (idle HTTP connections are closed after
  // websocketpp's 5 s handshake timeout); open them until the broker can
  // accept no more. The one that finds the limit is answered from the
  // reserve descriptor, so its handshake fails at once.
  auto flood = open_until_refused(port);
  ASSERT_LT(flood.size(), 100u);
  ASSERT_TRUE(broker.wait_for_log("cannot accept connections: Too many open files", scaled(5s))) << broker.output();

  // No busy loop: over a window of 1.5 s the broker stays nearly idle (the
  // unfixed loop used a whole core).
  const double before = cpu_seconds(broker.pid());
  std::this_thread::sleep_for(1500ms);
  const double used = cpu_seconds(broker.pid()) - before;
  EXPECT_LT(used, 0.3) << "CPU seconds over 1.5 s at the descriptor limit";

  // A new connection is told to come back, not left hanging.
  const std::string answer = raw_exchange(port, kGetHealth, scaled(3s));
  EXPECT_TRUE(is_503_with_retry_after(answer)) << answer;
  EXPECT_NE(answer.find("Connection: close"), std::string::npos) << answer;
  EXPECT_NE(answer.find("run out of file descriptors"), std::string::npos) << answer;
  EXPECT_EQ(broker.count_log("cannot accept connections"), 1u) << "logged once per episode";

  // The flood ends: /health and hooks are served again at once.
  flood.clear();
  const auto closed_at = std::chrono::steady_clock::now();
  ASSERT_TRUE(wait_until([&] { return http(port, "GET", "/health", "", {}, 2s).status == 200; }, scaled(3s)))
      << broker.output();
  EXPECT_EQ(http(port, "POST", "/api/events", R"({"type":"after_the_flood"})").status, 204);
  EXPECT_LT(std::chrono::steady_clock::now() - closed_at, scaled(2s));
  EXPECT_TRUE(broker.wait_for_log("accepting connections again: no accept failed in the last 0.3 s; the shortage "
                                  "of file descriptors lasted [0-9]+ ms",
                                  scaled(3s)))
      << broker.output();
}

TEST(SocketIoFloods, LongLivedConnectionsAtTheirCapLeaveRoomForHooks) {
  // Open-file limit 64: by default max_connections is 32 and max_sessions
  // 24 (options.hpp), so 8 connections stay for requests that come and go.
  BrokerProcess broker(broker_args(), {}, hbtest::broker_binary(), 64);
  const int port = broker.port();
  ASSERT_GT(port, 0) << broker.output();

  const auto clients = open_until_refused(port);
  EXPECT_EQ(clients.size(), 24u);
  const std::string refusal = raw_upgrade(port, kWebSocketTarget);
  EXPECT_TRUE(is_503_with_retry_after(refusal)) << refusal;
  EXPECT_NE(refusal.find("max_sessions"), std::string::npos) << refusal;

  for (int i = 0; i < 20; ++i)
    ASSERT_EQ(http(port, "POST", "/api/events", R"({"type":"room_for_hooks"})", {}, scaled(5s)).status, 204) << i;
  EXPECT_EQ(http(port, "GET", "/health").status, 200);
  const auto history = nlohmann::json::parse(http(port, "GET", "/api/history?type=room_for_hooks").body);
  EXPECT_EQ(history["count"], 20);
}

TEST(SocketIoFloods, PastMaxConnectionsNewConnectionsAre503AtTheDoor) {
  BrokerProcess broker(
      args_with({transport_option("max_connections", "10"), transport_option("max_sessions", "20"), kQuickLogs}));
  const int port = broker.port();
  ASSERT_GT(port, 0) << broker.output();
  std::vector<std::unique_ptr<WsClient>> clients;
  for (int i = 0; i < 10; ++i) {
    clients.push_back(std::make_unique<WsClient>(port, kWebSocketTarget));
    ASSERT_TRUE(clients.back()->open()) << i;
  }
  const std::string answer = raw_exchange(port, kGetHealth, scaled(3s));
  EXPECT_TRUE(is_503_with_retry_after(answer)) << answer;
  EXPECT_NE(answer.find("max_connections"), std::string::npos) << answer;
  EXPECT_TRUE(broker.wait_for_log("connection limit reached: 10 connections are open", scaled(2s)));

  clients.pop_back();
  EXPECT_TRUE(wait_until([&] { return http(port, "GET", "/health", "", {}, 2s).status == 200; }, scaled(3s)));
  EXPECT_TRUE(broker.wait_for_log("below the connection limit again: none refused in the last 0.3 s; [0-9]+ "
                                  "connections were answered 503",
                                  scaled(3s)));
}

TEST(SocketIoFloods, HandshakeFloodIsRefusedPastThePendingCapAndReaped) {
  BrokerProcess broker(args_with({transport_option("max_pending_sessions", "50"),
                                  transport_option("connect_timeout_ms", "1000"), kQuickLogs}));
  const int port = broker.port();
  ASSERT_GT(port, 0) << broker.output();
  ASSERT_FALSE(polling_handshake(port).empty());
  const long long rss_before = rss_kib(broker.pid());

  // Four clients handshake as fast as they can for two seconds; none joins.
  std::atomic<int> admitted{0};
  std::atomic<int> refused{0};
  std::atomic<int> other{0};
  const auto flood_time = 2s;
  const auto until = std::chrono::steady_clock::now() + flood_time;
  std::vector<std::thread> flooders;
  for (int t = 0; t < 4; ++t)
    flooders.emplace_back([&] {
      while (std::chrono::steady_clock::now() < until) {
        const HttpResult r = http(port, "GET", "/socket.io/?EIO=4&transport=polling");
        if (r.status == 200)
          ++admitted;
        else if (r.status == 503 && r.header("retry-after") == "5" &&
                 r.body.find("max_pending_sessions") != std::string::npos)
          ++refused;
        else
          ++other;
      }
    });
  for (auto& t : flooders) t.join();

  EXPECT_EQ(other.load(), 0);
  EXPECT_GT(refused.load(), 0);
  // At most the cap at a time; a place frees when a handshake is reaped
  // after connect_timeout_ms (1 s), so over 2 s at most 3 caps (one more of
  // slack for reaping and the flood's end racing).
  EXPECT_LE(admitted.load(), 50 * 4) << refused.load() << " refused";
  // Stated bound: the flood grows the broker by less than 16 MiB (measured:
  // ~0.4 MiB for 10,000-20,000 handshakes). Each unbounded handshake used to
  // keep ~2 KiB, 20-40 MiB for these; 463k of them took 1 GB.
  // AddressSanitizer keeps freed memory in quarantine, so only a plain build
  // can tell.
#if !defined(__SANITIZE_ADDRESS__)
  EXPECT_LT(rss_kib(broker.pid()) - rss_before, 16 * 1024) << admitted.load() + refused.load() << " handshakes";
#else
  (void)rss_before;
#endif
  // Thousands of refusals make one warning, then a summary per interval,
  // though reaped handshakes let the flood below the cap now and then.
  EXPECT_EQ(broker.count_log("handshakes are waiting for their CONNECT"), 1u) << refused.load() << " refusals";
  EXPECT_GE(broker.count_log("Socket\\.IO handshakes answered 503 at the session limits in the last 0\\.3 s"), 1u);

  // The waiting handshakes are reaped: a real client gets in again.
  std::unique_ptr<WsClient> client;
  EXPECT_TRUE(wait_until([&] { return (client = connected_ws(port)) != nullptr; }, scaled(5s)));
  EXPECT_TRUE(broker.wait_for_log("Socket\\.IO handshakes admitted again: none refused in the last 0\\.3 s; [0-9]+ were "
                                  "answered 503",
                                  scaled(3s)));
}

TEST(SocketIoFloods, TokenGuessingIsCutOffAndSummarisedAndTheTokenStillWorks) {
  BrokerProcess broker(broker_args({"--token", "s3cret", "--auth-failure-log-interval-s", "0.3"}));
  const int port = broker.port();
  ASSERT_GT(port, 0) << broker.output();

  // Each connection guesses ten times in a burst; the broker answers three
  // (max_auth_failures) and closes it.
  constexpr int kConnections = 20;
  for (int c = 0; c < kConnections; ++c) {
    WsClient ws(port, kWebSocketTarget);
    ASSERT_TRUE(ws.open());
    ASSERT_TRUE(ws.read_until_prefix("0{", scaled(5s)));
    for (int g = 0; g < 10; ++g) ws.send("40{\"token\":\"guess" + std::to_string(g) + "\"}");
    int errors = 0;
    while (auto m = ws.read(scaled(5s))) errors += m->data.rfind("44{\"message\":\"invalid token", 0) == 0;
    EXPECT_EQ(errors, 3) << c;
    EXPECT_TRUE(ws.closed_by_server(scaled(5s))) << c;
  }
  // Guesses over HTTP are counted as well.
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(http(port, "GET", "/api/routes", "", {{"Authorization", "Bearer guess"}}).status, 401);

  // The first failure is logged at once, the rest in a summary by kind and
  // peer address; 65 failures make a handful of lines, not 65.
  EXPECT_TRUE(broker.wait_for_log("authentication failed: wrong token on Socket.IO CONNECT from 127\\.0\\.0\\.1:[0-9]+",
                                  scaled(2s)));
  EXPECT_TRUE(broker.wait_for_log("authentication failures in the last 0\\.3 s: [0-9]+ \\(.*wrong token on "
                                  "Socket\\.IO CONNECT \\([0-9]+\\).*\\) from 127\\.0\\.0\\.1 \\([0-9]+\\)",
                                  scaled(3s)))
      << broker.output();
  EXPECT_TRUE(broker.wait_for_log("wrong token on HTTP GET /api/routes \\([0-9]+\\)", scaled(3s))) << broker.output();
  EXPECT_LE(broker.count_log("authentication fail"), 10u) << broker.output();

  // The right token still gets in.
  EXPECT_TRUE(connected_ws(port, R"({"token":"s3cret"})"));
}

}  // namespace
}  // namespace sio_it
