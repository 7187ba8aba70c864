// A real redis-server (Debian's package) for a test: loopback, a free port,
// no persistence unless asked, its own directory; stopped by the destructor.
//
//   hbtest::RedisServer redis;
//   ASSERT_TRUE(redis.ready()) << redis.output();
//   broker args: "--set", "plugins.cluster_redis.config.url=" + redis.url()
//
// stop() and start() keep the port, so a test can take Redis away and bring
// it back (empty, or from its dump with `persistence`).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "broker_process.hpp"

namespace hbtest {

/// The redis-server binary: $HOOKBROKER_TEST_REDIS_SERVER, else on PATH or
/// /usr/bin; "" when none is installed (scripts/install-deps.sh installs it).
std::string redis_server_binary();

struct RedisOptions {
  std::string password;      ///< requirepass; "" = none
  bool persistence = false;  ///< an RDB dump at shutdown, read at start
  /// TLS only (no plain port), with a CA and a server certificate for
  /// localhost and 127.0.0.1 made by openssl in its directory (ca_file()).
  bool tls = false;
  /// With `tls`: clients must show a certificate the CA signed
  /// (client.crt, client.key beside ca_file(); tls-auth-clients yes).
  bool tls_client_certificates = false;
};

class RedisServer {
 public:
  explicit RedisServer(RedisOptions options = {});
  ~RedisServer();

  /// True once it accepts connections (waits up to 10 s after a (re)start).
  bool ready();
  int port() const { return port_; }
  std::string url() const {
    return (options_.tls ? "rediss://" : "redis://") + std::string("127.0.0.1:") + std::to_string(port_) + "/0";
  }
  /// With `tls`: the PEM of the CA that signed its certificate.
  std::string ca_file() const { return dir_.path() + "/ca.crt"; }
  /// With `tls`: a client certificate the CA signed, and its key.
  std::string client_cert_file() const { return dir_.path() + "/client.crt"; }
  std::string client_key_file() const { return dir_.path() + "/client.key"; }
  std::string output() const { return process_ ? process_->output() : std::string(); }

  /// Stops it (SIGTERM, or SIGKILL with `kill`); the port stays this one's.
  void stop(bool kill = false);
  /// Starts it again on the same port.
  void start();

  /// Runs redis-cli against it (no shell); stdout, trimmed.
  std::string cli(const std::vector<std::string>& args) const;

 private:
  RedisOptions options_;
  TempDir dir_;
  int port_ = -1;
  std::unique_ptr<BrokerProcess> process_;
};

}  // namespace hbtest
