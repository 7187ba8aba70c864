// A client that stops reading is cut off once its send queue passes its
// bound, while a client that keeps reading receives every event.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "socketio_broker.hpp"

namespace sio_it {
namespace {

using namespace std::chrono_literals;
using hbtest::BrokerProcess;
using hbtest::scaled;

TEST(SocketIoSlowConsumer, StalledClientIsDroppedFastClientGetsEverything) {
  // A small queue bound so the test moves little data; the kernel's socket
  // buffers (up to a few MiB on loopback) fill first. Still 16 events of
  // slack for the fast client: with 4 (64 KiB), a reader thread descheduled
  // for a moment on a loaded machine got the fast client dropped too.
  BrokerProcess broker(broker_args(transport_option("send_queue_bytes", "262144")));
  const int port = broker.port();
  ASSERT_GT(port, 0) << broker.output();

  auto stalled = connected_ws(port, "", 4096);  // reads nothing from now on
  auto fast = connected_ws(port);
  ASSERT_TRUE(stalled && fast);

  constexpr int kEvents = 400;
  constexpr int kFastClientLag = 4;  // events the fast client may be behind: 64 KiB, well under the bound
  const std::string pad(16 * 1024, 'x');  // 400 x 16 KiB = 6.4 MiB in flight
  std::set<int> received;                 // the reader thread's only
  std::atomic<int> received_count{0};
  std::atomic<bool> reading{true};
  std::thread reader([&] {
    while (reading && static_cast<int>(received.size()) < kEvents) {
      auto m = fast->read(200ms);
      if (!m) continue;
      if (m->data == "2") fast->send("3");
      if (m->data.rfind("42[\"claude_event\"", 0) != 0) continue;
      const auto event = nlohmann::json::parse(m->data.substr(2))[1];
      if (event["subtype"] == "load") received.insert(event["data"]["n"].get<int>());
      received_count = static_cast<int>(received.size());
    }
  });
  struct JoinOnExit {  // a failed ASSERT below must not leave the thread joinable
    std::atomic<bool>& reading;
    std::thread& thread;
    ~JoinOnExit() {
      reading = false;
      if (thread.joinable()) thread.join();
    }
  } join_reader{reading, reader};

  // Posting waits for the fast client to keep up, so a reader thread
  // descheduled on a loaded machine delays the test instead of letting the
  // fast client's queue pass the bound too; the stalled client falls
  // further behind with every event whatever the scheduling.
  for (int n = 0; n < kEvents; ++n) {
    ASSERT_TRUE(hbtest::wait_until([&] { return received_count >= n - kFastClientLag; }, scaled(30s)))
        << "the fast client got " << received_count << " of " << n << " events";
    const nlohmann::json body = {{"type", "test"}, {"subtype", "load"}, {"data", {{"n", n}, {"pad", pad}}}};
    ASSERT_EQ(http(port, "POST", "/api/events", body.dump()).status, 204) << n;
  }
  EXPECT_TRUE(hbtest::wait_until([&] { return received_count == kEvents; }, scaled(30s)))
      << received_count << " of " << kEvents;
  reading = false;
  reader.join();
  EXPECT_EQ(static_cast<int>(received.size()), kEvents);

  EXPECT_TRUE(broker.wait_for_log("reads too slowly", scaled(10s))) << broker.output();
  EXPECT_TRUE(hbtest::wait_until(
      [&] { return nlohmann::json::parse(http(port, "GET", "/health").body)["clients"] == 1; }, scaled(10s)));
  // The broker's memory stays bounded: the stalled client's queue is gone.
  EXPECT_TRUE(stalled->closed_by_server(scaled(20s)));
}

}  // namespace
}  // namespace sio_it
