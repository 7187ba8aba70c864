// What only transport_socketio knows, through the real broker: a client cut
// off for reading too slowly and HTTP answers by route and code reach the
// heartbeat (key `socketio`) and, with metrics_prometheus enabled, GET /metrics.
#include <gtest/gtest.h>

#include "plugin_broker.hpp"
#include "prom_text_parser.hpp"
#include "socketio_broker.hpp"
#include "wait.hpp"

namespace {

using namespace plugins_it;
using namespace std::chrono_literals;
using nlohmann::json;

std::uint64_t http_count(const json& socketio, const std::string& method, const std::string& route, int code) {
  for (const auto& r : socketio.value("http_requests", json::array()))
    if (r["method"] == method && r["route"] == route && r["code"] == code) return r["count"];
  return 0;
}

TEST(TransportMetrics, DroppedSlowClientAnd404ReachTheHeartbeatAndTheMetricsPage) {
  // A small send queue bound: the stalled client is cut off after little data.
  PluginBroker broker(enable("metrics_prometheus") + config("transport_socketio", "send_queue_bytes", "65536"));
  const int port = broker.port();
  ASSERT_GT(port, 0) << broker.output();

  ASSERT_EQ(broker.get("/no/such/page-1").status, 404);
  ASSERT_EQ(broker.get("/no/such/page-2").status, 404);

  auto stalled = sio_it::connected_ws(port, "", 4096);  // reads nothing from now on
  ASSERT_TRUE(stalled);
  const std::string pad(16 * 1024, 'x');
  for (int n = 0; n < 400 && broker.process().count_log("reads too slowly") == 0; ++n) {
    json event = generic_event("load", "", n);
    event["data"]["pad"] = pad;
    ASSERT_EQ(broker.post_event(event).status, 204) << n;
  }
  ASSERT_TRUE(broker.process().wait_for_log("reads too slowly", hbtest::scaled(10s))) << broker.output();

  const auto beat = broker.wait_heartbeat(
      [](const json& data) {
        // The burst of posts may have widened the coalescing window for a
        // period or two; idle heartbeats bring it back to the shortest.
        return data.contains("socketio") && data["socketio"].value("dropped_slow_clients", 0) == 1 &&
               http_count(data["socketio"], "GET", "other", 404) == 2 &&
               data["socketio"].value("coalesce_window_us", -1) == 500;
      },
      hbtest::scaled(10s));
  ASSERT_TRUE(beat) << broker.output();
  const json& socketio = (*beat)["data"]["socketio"];
  EXPECT_GE(http_count(socketio, "POST", "/api/events", 204), 1u);
  EXPECT_GE(http_count(socketio, "GET", "/socket.io/", 101), 1u);  // the WebSocket handshake
  for (const auto& r : socketio["http_requests"])
    EXPECT_EQ(r["route"].get<std::string>().find("page-"), std::string::npos) << r;
  ASSERT_TRUE(socketio.contains("clients_by_transport")) << socketio;
  EXPECT_TRUE(socketio["clients_by_transport"]["websocket"].is_number()) << socketio;
  EXPECT_TRUE(socketio["clients_by_transport"]["polling"].is_number()) << socketio;

  const auto r = broker.get("/metrics");
  ASSERT_EQ(r.status, 200) << r.body;
  const auto m = prom_test::parse_exposition(r.body);
  ASSERT_TRUE(m.ok()) << m.error << "\n" << r.body;
  EXPECT_EQ(m.value("hookbroker_dropped_slow_clients_total", {{"plugin", "socketio"}}), 1) << r.body;
  EXPECT_EQ(m.value("hookbroker_http_requests_total",
                    {{"plugin", "socketio"}, {"method", "GET"}, {"route", "other"}, {"code", "404"}}),
            2)
      << r.body;
}

}  // namespace
