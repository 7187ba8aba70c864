// Where Redis is and how to reach it: redis://[[user]:password@]host[:port][/db]
// (rediss:// for TLS), the form every Redis client takes, plus the TLS files.
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
  bool tls = false;      ///< rediss://
  std::string tls_ca_file;      ///< PEM CAs to verify the server by; "" = the system's
  std::string tls_cert_file;    ///< PEM client certificate (chain), for Redis's tls-auth-clients
  std::string tls_key_file;     ///< its private key
  std::string tls_server_name;  ///< the name its certificate must carry (and SNI); "" = host
  bool tls_verify = true;       ///< false: accept any certificate (testing only)

  /// host:port/db, never the password (for logs and the heartbeat).
  std::string display() const;
  /// redis:// or rediss:// and display(): the URL without its credentials.
  std::string url() const;
};

struct RedisUrlParse {
  std::optional<RedisEndpoint> endpoint;
  std::string error;  ///< what is wrong and what to write instead
};

/// Parses `url` (redis:// or rediss://). Unix sockets are refused with a reason.
RedisUrlParse parse_redis_url(const std::string& url);

}  // namespace hookbroker::cluster
