#include "token_check.hpp"

namespace hookbroker::sio {

bool token_equals(std::string_view expected, std::string_view given) {
  // The length is not worth hiding; the content is compared without an early exit.
  if (expected.empty() || expected.size() != given.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < given.size(); ++i) diff |= static_cast<unsigned char>(given[i] ^ expected[i]);
  return diff == 0;
}

std::string check_socket_token(const std::string& token, const nlohmann::json& auth) {
  if (token.empty()) return {};
  const auto it = auth.find("token");
  if (it == auth.end() || !it->is_string())
    return "authentication required: connect with auth {\"token\": \"<the broker's token>\"}";
  if (!token_equals(token, it->get_ref<const std::string&>()))
    return "invalid token: connect with auth {\"token\": \"<the broker's token>\"}";
  return {};
}

std::string check_bearer_token(const std::string& token, const HttpRequest& request) {
  if (token.empty()) return {};
  const std::string header = request.header("authorization");
  constexpr std::string_view kBearer = "Bearer ";
  if (header.size() <= kBearer.size() || header.compare(0, kBearer.size(), kBearer) != 0)
    return "authentication required: send the header 'Authorization: Bearer <the broker's token>'";
  if (!token_equals(token, std::string_view(header).substr(kBearer.size())))
    return "invalid token in the Authorization header: send 'Authorization: Bearer <the broker's token>'";
  return {};
}

}  // namespace hookbroker::sio
