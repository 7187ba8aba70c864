// The optional shared secret (HostSettings::token): one comparison for the
// Socket.IO auth payload and the HTTP bearer header.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "hookbroker/http.hpp"

namespace hookbroker::sio {

/// Compares in time independent of where the strings differ.
bool token_equals(std::string_view expected, std::string_view given);

/// "" when `auth` (a CONNECT auth payload) carries the token or none is
/// configured; else the CONNECT_ERROR message.
std::string check_socket_token(const std::string& token, const nlohmann::json& auth);

/// "" when the request has `Authorization: Bearer <token>` or none is
/// configured; else the message for a 401.
std::string check_bearer_token(const std::string& token, const HttpRequest& request);

}  // namespace hookbroker::sio
