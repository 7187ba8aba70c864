// When the port is taken, ask whoever has it for GET /health, so the error can
// say "already running" (another hookbroker, its version and pid) instead of
// a bare "address in use". The request is libs/http_client's async exchange.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include "http_client/http_message.hpp"

namespace hookbroker::sio {

/// Calls `done` (on an io_context thread) with the fatal message, e.g.
/// "port 8765 is in use by hookbroker 0.1.0 (pid 1234)" or
/// "port 8765 is in use by another program: <what /health answered>".
void describe_port_owner(boost::asio::io_context& io, const std::string& host, std::uint16_t port,
                         std::chrono::milliseconds timeout, std::function<void(std::string)> done);

/// The message for what GET /health got back. Pure; exposed for tests.
std::string port_owner_message(std::uint16_t port, const http_client::Answer& health);

}  // namespace hookbroker::sio
