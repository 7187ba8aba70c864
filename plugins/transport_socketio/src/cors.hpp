// CORS as the reference server answers it with `cors: {origin, credentials: true}`
// (the npm `cors` middleware): every response varies on Origin and allows
// credentials; an allowed Origin is echoed back; OPTIONS preflights get 204.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hookbroker/http.hpp"

namespace hookbroker::sio {

class CorsPolicy {
 public:
  /// Each pattern: an exact origin ("http://localhost:3000"), an origin with
  /// any port or none ("http://localhost:*"), or "*" for every origin.
  explicit CorsPolicy(std::vector<std::string> patterns);

  bool allows(std::string_view origin) const;

  /// Adds the CORS headers to a response for `request`.
  void decorate(const HttpRequest& request, HttpResponse& response) const;

  /// The answer to an OPTIONS preflight.
  HttpResponse preflight(const HttpRequest& request) const;

 private:
  std::vector<std::string> patterns_;
};

}  // namespace hookbroker::sio
