// The answer shapes of claude-mpm's monitor: {"success": true, ...} and
// {"success": false, "error": "..."} (hookbroker's own {"error"} key is the
// same, so both kinds of client read the reason).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "hookbroker/http.hpp"

namespace hookbroker::mpm {

/// 200 with `body` plus "success": true. Text that is not UTF-8 (a file
/// name) becomes U+FFFD.
HttpResponse mpm_ok(nlohmann::json body);
/// `status` with {"success": false, "error": `error`} plus `extra`'s fields
/// (claude-mpm's empty "commits", "diff" on failures).
HttpResponse mpm_error(int status, const std::string& error, nlohmann::json extra = nlohmann::json::object());

}  // namespace hookbroker::mpm
