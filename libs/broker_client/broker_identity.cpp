#include "broker_client/broker_identity.hpp"

namespace hookbroker::broker_client {

bool is_hookbroker_health(const nlohmann::json& body) {
  if (!body.is_object()) return false;
  auto says = [&](const char* key) {
    const auto it = body.find(key);
    return it != body.end() && it->is_string() && *it == "hookbroker";
  };
  return says("implementation") || says("service");
}

}  // namespace hookbroker::broker_client
