#include "cluster_options.hpp"

#include <gtest/gtest.h>

using namespace hookbroker;
using namespace hookbroker::cluster;

namespace {
ClusterOptions options_from(nlohmann::json partial) {
  return ClusterOptions::from_config(with_defaults(ClusterOptions::table(), partial), "host:8765");
}
}  // namespace

TEST(RedisUrl, ReadsHostPortDatabaseUserAndPassword) {
  auto p = parse_redis_url("redis://alice:s%40cret@10.0.0.5:6380/3");
  ASSERT_TRUE(p.endpoint) << p.error;
  EXPECT_EQ(p.endpoint->host, "10.0.0.5");
  EXPECT_EQ(p.endpoint->port, 6380);
  EXPECT_EQ(p.endpoint->database, 3);
  EXPECT_EQ(p.endpoint->username, "alice");
  EXPECT_EQ(p.endpoint->password, "s@cret");
  EXPECT_EQ(p.endpoint->display(), "10.0.0.5:6380/3") << "never the password";

  auto bare = parse_redis_url("redis://localhost");
  ASSERT_TRUE(bare.endpoint);
  EXPECT_EQ(bare.endpoint->port, 6379);
  EXPECT_EQ(bare.endpoint->database, 0);

  auto password_only = parse_redis_url("redis://:pw@[::1]:7000");
  ASSERT_TRUE(password_only.endpoint) << password_only.error;
  EXPECT_EQ(password_only.endpoint->host, "::1");
  EXPECT_EQ(password_only.endpoint->password, "pw");
  EXPECT_EQ(password_only.endpoint->username, "");
}

TEST(RedisUrl, RefusesWhatItCannotUseSayingWhatToWrite) {
  for (const char* bad : {"http://x", "redis://", "redis://h:0", "redis://h:99999", "redis://h/x", "redis://h:p",
                          "redis://u:%zz@h"}) {
    auto p = parse_redis_url(bad);
    EXPECT_FALSE(p.endpoint) << bad;
    EXPECT_NE(p.error.find("redis://[[user]:password@]host"), std::string::npos) << p.error;
  }
}

TEST(RedisUrl, RedissMeansTls) {
  auto tls = parse_redis_url("rediss://:pw@redis.example.net:6380/1");
  ASSERT_TRUE(tls.endpoint) << tls.error;
  EXPECT_TRUE(tls.endpoint->tls);
  EXPECT_EQ(tls.endpoint->host, "redis.example.net");
  EXPECT_EQ(tls.endpoint->port, 6380);
  EXPECT_EQ(tls.endpoint->url(), "rediss://redis.example.net:6380/1") << "never the password";
  EXPECT_FALSE(parse_redis_url("redis://h").endpoint->tls);
  EXPECT_EQ(parse_redis_url("redis://h").endpoint->url(), "redis://h:6379/0");
}

TEST(ClusterOptions, DefaultsAndOverrides) {
  auto o = options_from({});
  EXPECT_FALSE(o.redis.tls);
  EXPECT_TRUE(o.redis.tls_verify);
  EXPECT_EQ(o.node_id, "host:8765");
  EXPECT_EQ(o.redis.display(), "127.0.0.1:6379/0");
  EXPECT_EQ(o.stream_key(), "hookbroker:events");
  EXPECT_EQ(o.node_key("a"), "hookbroker:node:a");

  auto given = options_from({{"url", "redis://u:p@h:1/2"}, {"password", "other"}, {"node_id", "laptop-1"},
                             {"key_prefix", "team:"}});
  EXPECT_EQ(given.redis.password, "other") << "the option overrides the URL's";
  EXPECT_EQ(given.redis.username, "u");
  EXPECT_EQ(given.node_id, "laptop-1");
  EXPECT_EQ(given.stream_key(), "team:events");

  auto tls = options_from({{"url", "rediss://h"}, {"tls_ca_file", "/ca.pem"}, {"tls_cert_file", "/c.pem"},
                           {"tls_key_file", "/k.pem"}, {"tls_server_name", "redis.internal"}});
  EXPECT_TRUE(tls.redis.tls);
  EXPECT_EQ(tls.redis.tls_ca_file, "/ca.pem");
  EXPECT_EQ(tls.redis.tls_cert_file, "/c.pem");
  EXPECT_EQ(tls.redis.tls_key_file, "/k.pem");
  EXPECT_EQ(tls.redis.tls_server_name, "redis.internal");
}

TEST(ClusterOptions, BadSettingsNameTheOption) {
  auto message = [](nlohmann::json partial) {
    try {
      options_from(std::move(partial));
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_EQ(message({{"url", "rediss:/h"}}).rfind("url: ", 0), 0u);
  EXPECT_EQ(message({{"tls_ca_file", "/ca.pem"}}).rfind("tls_*: ", 0), 0u) << "TLS options with redis://";
  EXPECT_EQ(message({{"url", "rediss://h"}, {"tls_cert_file", "/c.pem"}}).rfind("tls_cert_file and tls_key_file", 0),
            0u);
  EXPECT_EQ(message({{"node_id", "a b"}}).rfind("node_id ", 0), 0u);
  EXPECT_EQ(message({{"username", "u"}}).rfind("username: ", 0), 0u);
  EXPECT_EQ(message({{"announce_interval_s", 5}, {"node_ttl_s", 5}}).rfind("node_ttl_s ", 0), 0u);
}
