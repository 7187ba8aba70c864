// Whether an answer to GET /health comes from a hookbroker: the one rule the
// port probe and `hookbroker doctor` share.
#pragma once

#include <nlohmann/json.hpp>

namespace hookbroker::broker_client {

/// True for a hookbroker's /health body. It says "service": "hookbroker", or,
/// when a plugin has the port answer as another service (mpm_compat says
/// "claude-mpm-monitor"), "implementation": "hookbroker".
bool is_hookbroker_health(const nlohmann::json& body);

}  // namespace hookbroker::broker_client
