#include "cors.hpp"

#include <algorithm>

namespace hookbroker::sio {
namespace {

bool matches(std::string_view pattern, std::string_view origin) {
  if (pattern == "*") return true;
  constexpr std::string_view kAnyPort = ":*";
  if (pattern.size() > kAnyPort.size() && pattern.substr(pattern.size() - kAnyPort.size()) == kAnyPort) {
    const std::string_view base = pattern.substr(0, pattern.size() - kAnyPort.size());
    if (origin == base) return true;
    if (origin.size() <= base.size() + 1 || origin.substr(0, base.size()) != base ||
        origin[base.size()] != ':')
      return false;
    const std::string_view port = origin.substr(base.size() + 1);
    return port.size() <= 5 &&
           std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; });
  }
  return pattern == origin;
}

}  // namespace

CorsPolicy::CorsPolicy(std::vector<std::string> patterns) : patterns_(std::move(patterns)) {}

bool CorsPolicy::allows(std::string_view origin) const {
  if (origin.empty()) return false;
  return std::any_of(patterns_.begin(), patterns_.end(),
                     [&](const std::string& p) { return matches(p, origin); });
}

void CorsPolicy::decorate(const HttpRequest& request, HttpResponse& response) const {
  const std::string origin = request.header("origin");
  if (allows(origin)) response.headers.emplace_back("Access-Control-Allow-Origin", origin);
  response.headers.emplace_back("Vary", "Origin");
  response.headers.emplace_back("Access-Control-Allow-Credentials", "true");
}

HttpResponse CorsPolicy::preflight(const HttpRequest& request) const {
  HttpResponse r;
  r.status = 204;
  r.content_type.clear();
  const std::string origin = request.header("origin");
  if (allows(origin)) r.headers.emplace_back("Access-Control-Allow-Origin", origin);
  r.headers.emplace_back("Vary", "Origin, Access-Control-Request-Headers");
  r.headers.emplace_back("Access-Control-Allow-Credentials", "true");
  r.headers.emplace_back("Access-Control-Allow-Methods", "GET,HEAD,PUT,PATCH,POST,DELETE");
  const std::string wanted = request.header("access-control-request-headers");
  if (!wanted.empty()) r.headers.emplace_back("Access-Control-Allow-Headers", wanted);
  return r;
}

}  // namespace hookbroker::sio
