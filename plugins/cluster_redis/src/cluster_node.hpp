// This broker as a node of a cluster that shares one picture through Redis
// (docs/cluster.md): publishes the events accepted here to the stream, reads
// the other nodes' events from it and ingests them (HostApi::ingest_from_node),
// announces itself under a TTL key and reads the others' announcements.
//
// Two connections: `writer_` for XADD and the announcements, `reader_` for
// XREAD BLOCK (a blocked connection can send nothing else). Everything runs
// on the plugin's strand.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "cluster_options.hpp"
#include "hookbroker/host_api.hpp"
#include "node_directory.hpp"
#include "origin_ledger.hpp"
#include "publish_buffer.hpp"
#include "redis_link.hpp"

namespace hookbroker::cluster {

class ClusterNode {
 public:
  ClusterNode(HostApi& host, ClusterOptions options);
  ~ClusterNode();

  void start();
  void stop();
  /// An event accepted by this broker (an event sink's consume): queued for
  /// the stream unless it came from the cluster itself.
  void offer(const nlohmann::json& event);
  /// The heartbeat's `cluster` object.
  nlohmann::json view() const;
  const std::string& node_id() const { return options_.node_id; }

 private:
  void connect_writer();
  void connect_reader();
  void writer_down(const std::string& why);
  void reader_down(const std::string& why);
  void pump();
  void find_position();
  void read_next();
  void take(const std::string& id, StreamEntry entry);
  void connect_subscriber();
  void subscriber_down(const std::string& why);
  void hear_adapter(const RedisReply& message);
  void publish_to_adapter(const nlohmann::json& event);
  void announce();
  void read_directory();
  /// Marks the sessions node `id` received as lost (it stopped announcing
  /// itself) or back: the session tracker's change key "node_state".
  void mark_sessions_of(const std::string& id, bool lost);
  /// Logs a Redis problem once per distinct message, and its end.
  void note_error(const std::string& error);

  HostApi& host_;
  const ClusterOptions options_;
  const std::string boot_;  ///< this run of the node: a restart is a new sender
  std::shared_ptr<RedisLink> writer_;
  std::shared_ptr<RedisLink> reader_;
  std::shared_ptr<RedisLink> subscriber_;  ///< PSUBSCRIBE to the Socket.IO adapter's channels
  boost::asio::steady_timer writer_retry_;
  boost::asio::steady_timer reader_retry_;
  boost::asio::steady_timer subscriber_retry_;
  boost::asio::steady_timer announce_timer_;
  PublishBuffer buffer_;
  OriginLedger ledger_;
  NodeDirectory directory_;
  std::uint64_t next_seq_ = 1;
  std::size_t in_flight_ = 0;
  std::string last_id_;  ///< the stream id read up to; "" = nothing read yet
  std::string epoch_;    ///< Redis's data generation as last read (ClusterOptions::epoch_key)
  bool reading_ = false;
  bool dropping_ = false;  ///< the buffer dropped events in this outage
  bool stopped_ = false;
  std::string state_ = "connecting";
  std::string last_error_;
  double latency_ms_ = -1;
  std::uint64_t received_ = 0;
  std::uint64_t reads_ = 0;  ///< XREAD replies that carried entries: received_ / reads_ is the batch size
  /// Shared with ingest answers, which may come after this node stopped.
  std::shared_ptr<std::atomic<std::uint64_t>> rejected_ = std::make_shared<std::atomic<std::uint64_t>>(0);
  std::uint64_t foreign_ = 0;
  std::uint64_t resyncs_ = 0;
  std::uint64_t publish_errors_ = 0;
  const std::string adapter_uid_;  ///< "hookbroker:<node>:<boot>": how our packets are told apart
  std::uint64_t adapter_published_ = 0;
  std::uint64_t adapter_received_ = 0;
  std::uint64_t adapter_ignored_ = 0;
  std::string adapter_last_ignored_;
};

}  // namespace hookbroker::cluster
