#include "socketio_broker.hpp"

#include <nlohmann/json.hpp>

namespace sio_it {

std::vector<std::string> broker_args(std::vector<std::string> extra) {
  std::vector<std::string> args = {"--port", "0", "--heartbeat-interval-s", "60"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

std::vector<std::string> transport_option(const std::string& key, const std::string& value) {
  return {"--set", "plugins.transport_socketio.config." + key + "=" + value};
}

std::string polling_url(const std::string& sid) { return "/socket.io/?EIO=4&transport=polling&sid=" + sid; }

std::string polling_handshake(int port) {
  const HttpResult r = http(port, "GET", "/socket.io/?EIO=4&transport=polling");
  if (r.status != 200 || r.body.empty() || r.body[0] != '0') return "";
  const auto open = nlohmann::json::parse(r.body.substr(1), nullptr, false);
  return open.is_object() && open.contains("sid") ? open["sid"].get<std::string>() : "";
}

std::unique_ptr<WsClient> connected_ws(int port, const std::string& auth, int receive_buffer) {
  auto ws = std::make_unique<WsClient>(port, "/socket.io/?EIO=4&transport=websocket", receive_buffer);
  if (!ws->open()) return nullptr;
  if (!ws->read_until_prefix("0{", hbtest::scaled(std::chrono::seconds(5)))) return nullptr;
  ws->send("40" + auth);
  if (!ws->read_until_prefix("40{\"sid\"", hbtest::scaled(std::chrono::seconds(5)))) return nullptr;
  return ws;
}

}  // namespace sio_it
