#include "cluster_options.hpp"

#include <cctype>

namespace hookbroker::cluster {

namespace {

std::chrono::milliseconds seconds_at(const nlohmann::json& config, const char* key) {
  return std::chrono::milliseconds(static_cast<std::int64_t>(config.at(key).get<double>() * 1000.0));
}

bool valid_node_id(const std::string& id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-' && c != ':') return false;
  return true;
}

}  // namespace

ClusterOptions ClusterOptions::from_config(const nlohmann::json& config, const std::string& default_node_id) {
  ClusterOptions o;
  RedisUrlParse url = parse_redis_url(config.at("url").get<std::string>());
  if (!url.endpoint) throw ConfigError("url: " + url.error);
  o.redis = *url.endpoint;
  if (auto user = config.at("username").get<std::string>(); !user.empty()) o.redis.username = user;
  if (auto password = config.at("password").get<std::string>(); !password.empty()) o.redis.password = password;
  if (!o.redis.username.empty() && o.redis.password.empty())
    throw ConfigError("username: an ACL user needs a password too");
  o.redis.tls_ca_file = config.at("tls_ca_file").get<std::string>();
  o.redis.tls_cert_file = config.at("tls_cert_file").get<std::string>();
  o.redis.tls_key_file = config.at("tls_key_file").get<std::string>();
  o.redis.tls_server_name = config.at("tls_server_name").get<std::string>();
  o.redis.tls_verify = config.at("tls_verify").get<bool>();
  const bool tls_options = !o.redis.tls_ca_file.empty() || !o.redis.tls_cert_file.empty() ||
                           !o.redis.tls_key_file.empty() || !o.redis.tls_server_name.empty() || !o.redis.tls_verify;
  if (tls_options && !o.redis.tls)
    throw ConfigError("tls_*: TLS options are set but url is redis://; write rediss:// to connect with TLS");
  if (o.redis.tls_cert_file.empty() != o.redis.tls_key_file.empty())
    throw ConfigError("tls_cert_file and tls_key_file: give both (a client certificate and its key) or neither");
  o.node_id = config.at("node_id").get<std::string>();
  if (o.node_id.empty()) o.node_id = default_node_id;
  if (!valid_node_id(o.node_id))
    throw ConfigError("node_id \"" + o.node_id.substr(0, 64) +
                                "\": use 1 to 128 letters, digits, '.', '_', '-' or ':'");
  o.key_prefix = config.at("key_prefix").get<std::string>();
  o.stream_max_events = config.at("stream_max_events").get<std::size_t>();
  o.buffer_max_events = config.at("buffer_max_events").get<std::size_t>();
  o.read_batch = config.at("read_batch").get<std::size_t>();
  o.announce_interval = seconds_at(config, "announce_interval_s");
  o.node_ttl = seconds_at(config, "node_ttl_s");
  if (o.node_ttl <= o.announce_interval)
    throw ConfigError("node_ttl_s must exceed announce_interval_s, or a "
                                "live node would expire between two announcements");
  o.connect_timeout = seconds_at(config, "connect_timeout_s");
  o.retry_interval = seconds_at(config, "retry_interval_s");
  o.socketio_key = config.at("socketio_key").get<std::string>();
  return o;
}

}  // namespace hookbroker::cluster
