// cluster_redis: brokers that share one picture through Redis. Every event
// accepted here goes to a Redis stream; every other node's event comes back
// from it into this broker's clients, session tracker and history. See
// docs/cluster.md.
#include <unistd.h>

#include <cstdio>

#include "cluster_node.hpp"
#include "hookbroker/hookbroker.hpp"

namespace hookbroker::cluster {

namespace {

std::string default_node_id(const HostSettings& settings) {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') std::snprintf(name, sizeof name, "host");
  return std::string(name) + ":" + std::to_string(settings.port);
}

}  // namespace

class ClusterRedisPlugin final : public Plugin, public EventSink, public HeartbeatContributor {
 public:
  ClusterRedisPlugin(HostApi& host, const nlohmann::json& config)
      : host_(host), node_(host, ClusterOptions::from_config(config, default_node_id(host.settings()))) {}

  void start() override {
    // Every event and heartbeat clients get names its node; another node's
    // event already carries its origin (HostApi::ingest_from_node). Other
    // messages (a Socket.IO emitter's) pass as they were sent.
    host_.add_broadcast_filter([id = node_.node_id()](std::string&, nlohmann::json& message) {
      if (message.is_object() && message.contains("type") && message.contains("timestamp") &&
          !message.contains("node"))
        message["node"] = id;
    });
  }

  /// Other nodes' events are ingested only once every plugin runs: the hook
  /// handlers must read them and the transports send them.
  void on_broker_started() override { node_.start(); }

  void stop() override { node_.stop(); }

  /// Never holds the sender up: Redis being slow or away must not slow a
  /// hook; the event waits in the publish buffer instead.
  void consume_event(std::shared_ptr<const nlohmann::json> event, SinkDone done) override {
    node_.offer(*event);
    done(SinkResult::stored());
  }

  nlohmann::json contribute() override { return {{"cluster", node_.view()}}; }

 private:
  HostApi& host_;
  ClusterNode node_;
};

}  // namespace hookbroker::cluster

HOOKBROKER_PLUGIN(hookbroker::cluster::ClusterRedisPlugin, [] {
  hookbroker::PluginInfo info;
  info.name = "cluster_redis";
  info.version = "0.1.0";
  info.description = "Brokers that share one picture through Redis: events, sessions and nodes of every broker on "
      "every broker";
  info.enabled_by_default = false;
  info.heartbeat_keys = "cluster";
  info.options = hookbroker::cluster::ClusterOptions::table();
  return info;
}())
