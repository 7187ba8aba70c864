#include "mpm_reply.hpp"

namespace hookbroker::mpm {

HttpResponse mpm_ok(nlohmann::json body) {
  body["success"] = true;
  return HttpResponse::json(200, body);
}

HttpResponse mpm_error(int status, const std::string& error, nlohmann::json extra) {
  if (!extra.is_object()) extra = nlohmann::json::object();
  extra["success"] = false;
  extra["error"] = error;
  return HttpResponse::json(status, extra);
}

}  // namespace hookbroker::mpm
