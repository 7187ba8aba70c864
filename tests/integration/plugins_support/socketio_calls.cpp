#include "socketio_calls.hpp"

#include <atomic>

#include "wait.hpp"

namespace plugins_it {

std::optional<nlohmann::json> emit_with_ack(sio_it::WsClient& ws, const std::string& name, const nlohmann::json& args,
                                            std::chrono::milliseconds timeout) {
  static std::atomic<int> next_id{100};
  const std::string id = std::to_string(next_id++);
  nlohmann::json packet = nlohmann::json::array({name});
  for (const auto& a : args) packet.push_back(a);
  if (!ws.send("42" + id + packet.dump())) return std::nullopt;
  const auto answer = ws.read_until_prefix("43" + id + "[", hbtest::scaled(timeout));
  if (!answer) return std::nullopt;
  return nlohmann::json::parse(answer->substr(2 + id.size()), nullptr, false);
}

}  // namespace plugins_it
