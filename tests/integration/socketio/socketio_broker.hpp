// A real hookbroker with transport_socketio on an ephemeral port, for the
// raw-protocol tests.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "broker_process.hpp"
#include "raw_client.hpp"

namespace sio_it {

/// hookbroker flags for a test broker: port 0, a long heartbeat (tests that
/// want heartbeats pass their own), plus `extra`.
std::vector<std::string> broker_args(std::vector<std::string> extra = {});

/// "--set plugins.transport_socketio.config.KEY=VALUE".
std::vector<std::string> transport_option(const std::string& key, const std::string& value);

/// An Engine.IO polling session: the sid from a handshake, or "" on failure.
std::string polling_handshake(int port);
std::string polling_url(const std::string& sid);

/// A WebSocket client that completed the Engine.IO open and Socket.IO
/// CONNECT to "/" (auth JSON optional); nullptr when it could not.
std::unique_ptr<WsClient> connected_ws(int port, const std::string& auth = "", int receive_buffer = 0);

}  // namespace sio_it
