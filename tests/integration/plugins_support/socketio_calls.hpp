// Socket.IO requests with acknowledgements over the raw WebSocket client:
// `42<id>["name", args...]` out, `43<id>[answer...]` back.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "raw_client.hpp"

namespace plugins_it {

/// Emits `name` with `args` (a JSON array) and waits for its ack; returns the
/// ack's argument array, or nullopt on timeout.
std::optional<nlohmann::json> emit_with_ack(sio_it::WsClient& ws, const std::string& name, const nlohmann::json& args,
                                            std::chrono::milliseconds timeout = std::chrono::seconds(5));

}  // namespace plugins_it
