// cluster_redis's configuration: the option table and the checked values.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

#include "hookbroker/config.hpp"
#include "redis_url.hpp"

namespace hookbroker::cluster {

// Every default lives in ClusterOptions::table() only.
struct ClusterOptions {
  RedisEndpoint redis;
  std::string node_id;     ///< this broker's name in the cluster
  std::string key_prefix;  ///< every Redis key this plugin uses starts with it
  std::size_t stream_max_events = 0;
  std::size_t buffer_max_events = 0;
  std::size_t read_batch = 0;
  std::chrono::milliseconds announce_interval{0};
  std::chrono::milliseconds node_ttl{0};
  std::chrono::milliseconds connect_timeout{0};
  std::chrono::milliseconds retry_interval{0};
  /// The @socket.io/redis-adapter key ("socket.io"); "" = no adapter interop.
  std::string socketio_key;

  std::string stream_key() const { return key_prefix + "events"; }
  std::string node_key(const std::string& node) const { return key_prefix + "node:" + node; }
  std::string nodes_key() const { return key_prefix + "nodes"; }
  /// Set once (SET NX) by the first node to connect: a Redis that comes back
  /// with another value lost its data.
  std::string epoch_key() const { return key_prefix + "epoch"; }

  /// `config` is complete (defaults filled in by the core; tests:
  /// hookbroker::with_defaults(table(), ...)). An empty node_id becomes
  /// `default_node_id`. Throws ConfigError naming the option and the fix
  /// (the broker exits 2).
  static ClusterOptions from_config(const nlohmann::json& config, const std::string& default_node_id);
  /// The option table, a constant for the manifest (config.hpp).
  static constexpr auto table() {
    return hookbroker::config_table(
        option("url", ConfigType::String, R"("redis://127.0.0.1:6379/0")",
               "Redis to share events through: redis://[[user]:password@]host[:port][/db], rediss:// for TLS"),
        option("username", ConfigType::String, R"("")", "Redis ACL user; overrides the URL's"),
        option("password", ConfigType::String, R"("")", "Redis password (AUTH); overrides the URL's"),
        option("tls_ca_file", ConfigType::String, R"("")",
               "rediss://: PEM file of the CAs that signed Redis's certificate; empty = the system's CAs"),
        option("tls_cert_file", ConfigType::String, R"("")",
               "rediss://: PEM client certificate (chain), when Redis asks for one (tls-auth-clients)"),
        option("tls_key_file", ConfigType::String, R"("")", "rediss://: the client certificate's private key"),
        option("tls_server_name", ConfigType::String, R"("")",
               "rediss://: the name Redis's certificate must carry (also sent as SNI); empty = the url's host"),
        option("tls_verify", ConfigType::Bool, "true",
               "rediss://: verify Redis's certificate and name; false accepts any (testing only)"),
        option("node_id", ConfigType::String, R"("")",
               "this broker's name in the cluster (letters, digits, . _ - :); empty = <hostname>:<port>"),
        option("key_prefix", ConfigType::String, R"("hookbroker:")",
               "prefix of every Redis key used (brokers that share it form one cluster)"),
        ranged_option("stream_max_events", ConfigType::Int, "100000",
                      "events the Redis stream keeps at most (XADD MAXLEN ~): how far a broker that was away "
                      "can catch up",
                      100, 100000000),
        ranged_option("buffer_max_events", ConfigType::Int, "100000",
                      "events kept here while Redis is unreachable; past it the oldest are dropped and counted",
                      1, 100000000),
        ranged_option("read_batch", ConfigType::Int, "512", "events read from the stream per XREAD at most", 1,
                      100000),
        ranged_option("announce_interval_s", ConfigType::Number, "2",
                      "seconds between this node's announcements (its TTL key)", 0.05, 3600),
        ranged_option("node_ttl_s", ConfigType::Number, "10",
                      "seconds after its last announcement a silent node counts as lost", 0.2, 86400),
        ranged_option("connect_timeout_s", ConfigType::Number, "2", "seconds a connection attempt may take", 0.05,
                      300),
        ranged_option("retry_interval_s", ConfigType::Number, "1",
                      "seconds between attempts to reach Redis again after losing it", 0.05, 300),
        option("socketio_key", ConfigType::String, R"("socket.io")",
               "the key of @socket.io/redis-adapter and -emitter on this Redis: events accepted here are published "
               "in its format, its broadcasts reach this broker's clients; \"\" = off"));
  }
};

}  // namespace hookbroker::cluster
