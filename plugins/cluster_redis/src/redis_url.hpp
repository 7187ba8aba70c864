// Where Redis is: redis://[[user]:password@]host[:port][/db], the form every
// Redis client takes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace hookbroker::cluster {

struct RedisEndpoint {
  std::string host = "127.0.0.1";
  std::uint16_t port = 6379;
  int database = 0;
  std::string username;  ///< ACL user; "" = the default user
  std::string password;  ///< "" = no AUTH

  /// host:port/db, never the password (for logs and the heartbeat).
  std::string display() const;
};

struct RedisUrlParse {
  std::optional<RedisEndpoint> endpoint;
  std::string error;  ///< what is wrong and what to write instead
};

/// Parses `url`. rediss:// (TLS) and unix sockets are refused with a reason:
/// the hiredis this builds against (0.14) has no TLS.
RedisUrlParse parse_redis_url(const std::string& url);

}  // namespace hookbroker::cluster
