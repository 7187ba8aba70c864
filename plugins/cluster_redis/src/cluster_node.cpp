#include "cluster_node.hpp"

#include <algorithm>
#include <cstdio>
#include <random>

#include "adapter_packet.hpp"
#include "hookbroker/session_tracker.hpp"
#include "hookbroker/time.hpp"

namespace hookbroker::cluster {

namespace {

/// In-flight XADDs on the writer connection (pipelined).
constexpr std::size_t kMaxInFlight = 256;
/// How long one XREAD blocks; stop() closes the connection anyway.
constexpr int kReadBlockMs = 1000;
/// A node lost for this many TTLs leaves the node set.
constexpr int kForgetAfterTtls = 30;

std::string random_hex_id() {
  std::random_device device;
  std::uniform_int_distribution<std::uint64_t> any;
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(any(device)));
  return text;
}

double ms_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

ClusterNode::ClusterNode(HostApi& host, ClusterOptions options)
    : host_(host),
      options_(std::move(options)),
      boot_(random_hex_id()),
      writer_retry_(host.strand()),
      reader_retry_(host.strand()),
      subscriber_retry_(host.strand()),
      announce_timer_(host.strand()),
      buffer_(options_.buffer_max_events),
      adapter_uid_("hookbroker:" + options_.node_id + ":" + boot_) {}

ClusterNode::~ClusterNode() { stop(); }

void ClusterNode::start() {
  host_.info("node '" + options_.node_id + "' joins the cluster at " + options_.redis.url() +
             " (stream " + options_.stream_key() + ")");
  connect_writer();
  connect_reader();
  if (!options_.socketio_key.empty()) connect_subscriber();
  announce();
}

void ClusterNode::stop() {
  if (stopped_) return;
  stopped_ = true;
  writer_retry_.cancel();
  reader_retry_.cancel();
  subscriber_retry_.cancel();
  announce_timer_.cancel();
  if (writer_) writer_->close();
  if (reader_) reader_->close();
  if (subscriber_) subscriber_->close();
  if (buffer_.pending() > 0)
    host_.warn(std::to_string(buffer_.pending()) + " events accepted here were not yet in Redis at shutdown; the "
               "other nodes will not see them");
}

// ---- publishing --------------------------------------------------------------

void ClusterNode::offer(const nlohmann::json& event) {
  if (event.value("from_cluster", false)) return;  // another node's: it published it
  const std::uint64_t dropped_before = buffer_.dropped();
  buffer_.add({options_.node_id, boot_, next_seq_++, event.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)});
  if (buffer_.dropped() > dropped_before && !dropping_) {
    dropping_ = true;  // said once per outage; the heartbeat counts every one
    host_.warn("the buffer of events waiting for Redis is full (buffer_max_events " +
               std::to_string(options_.buffer_max_events) +
               "): dropping the oldest; the other nodes will miss them (counted as cluster.redis.dropped)");
  }
  pump();
  publish_to_adapter(event);
}

void ClusterNode::connect_writer() {
  if (stopped_) return;
  writer_ = std::make_shared<RedisLink>(host_.strand(), options_.redis, "hookbroker:" + options_.node_id + ":writer");
  const auto started = std::chrono::steady_clock::now();
  writer_->connect(
      options_.connect_timeout,
      [this, started](const std::string& error) {
        if (!error.empty()) return writer_down(error);
        latency_ms_ = ms_since(started);
        note_error("");
        state_ = "connected";
        dropping_ = false;
        buffer_.resend_unconfirmed();
        in_flight_ = 0;
        if (buffer_.pending() > 0)
          host_.info("publishing " + std::to_string(buffer_.pending()) + " events kept while Redis was away");
        pump();
        announce();
      },
      [this](const std::string& why) { writer_down(why); });
}

void ClusterNode::writer_down(const std::string& why) {
  if (stopped_) return;
  state_ = "unreachable";
  note_error(why);
  buffer_.resend_unconfirmed();
  in_flight_ = 0;
  writer_retry_.expires_after(options_.retry_interval);
  writer_retry_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) connect_writer();
  });
}

void ClusterNode::pump() {
  if (!writer_ || !writer_->ready()) return;
  while (in_flight_ < kMaxInFlight) {
    const StreamEntry* entry = buffer_.next_to_send();
    if (!entry) return;
    ++in_flight_;
    const std::uint64_t seq = entry->seq;
    writer_->command(xadd_command(options_.stream_key(), options_.stream_max_events, *entry),
                     [this, seq, link = writer_.get()](const RedisReply& reply) {
                       if (link != writer_.get()) return;  // an earlier connection's
                       if (reply.link_failure) return;     // writer_down resends it
                       --in_flight_;
                       if (reply.is_error()) {
                         // Redis refused the entry itself (OOM, a key of another type):
                         // sending it again would fail again.
                         ++publish_errors_;
                         note_error("XADD refused: " + reply.text);
                       }
                       buffer_.confirmed(seq);
                       pump();
                     });
  }
}

// ---- reading -------------------------------------------------------------------

void ClusterNode::connect_reader() {
  if (stopped_) return;
  reader_ = std::make_shared<RedisLink>(host_.strand(), options_.redis, "hookbroker:" + options_.node_id + ":reader");
  reader_->connect(
      options_.connect_timeout,
      [this](const std::string& error) {
        if (!error.empty()) return reader_down(error);
        find_position();
      },
      [this](const std::string& why) { reader_down(why); });
}

void ClusterNode::reader_down(const std::string& why) {
  if (stopped_) return;
  reading_ = false;
  note_error(why);
  reader_retry_.expires_after(options_.retry_interval);
  reader_retry_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) connect_reader();
  });
}

/// Where to read from after (re)connecting: on from the last id read,
/// unless Redis lost its data since (restarted empty: the epoch key, set
/// once by whichever node comes first, changed; or the stream is gone). Then
/// from the stream's start, the ledger skipping what was applied already.
/// Stream ids are times, so the ids of a new stream would mostly sort after
/// the old ones anyway: the epoch is what tells.
void ClusterNode::find_position() {
  // A new value every time: a node that comes first twice must not write
  // the same epoch into a Redis that lost the first.
  reader_->command({"SET", options_.epoch_key(), random_hex_id(), "NX"}, [](const RedisReply&) {});
  reader_->command({"GET", options_.epoch_key()}, [this](const RedisReply& epoch) {
    if (epoch.link_failure) return;
    reader_->command({"EXISTS", options_.stream_key()}, [this, epoch = epoch.text](const RedisReply& exists) {
      if (exists.link_failure) return;
      const bool epoch_changed = !epoch_.empty() && epoch != epoch_;
      const bool stream_gone = exists.integer == 0 && !last_id_.empty() && last_id_ != "0";
      if (epoch_changed || stream_gone) {
        ++resyncs_;
        host_.warn(std::string("Redis at ") + options_.redis.display() + " lost its data since this node last read (" +
                   (epoch_changed ? "restarted empty" : "the stream " + options_.stream_key() + " is gone") +
                   "): resynchronising from the start of the stream; events applied before are skipped, events "
                   "of this node not yet confirmed are published again");
        last_id_ = "0";
      }
      epoch_ = epoch;
      if (last_id_.empty()) last_id_ = "0";  // first start: catch up with what the stream keeps
      reading_ = true;
      read_next();
    });
  });
}

void ClusterNode::read_next() {
  if (!reading_ || !reader_ || !reader_->ready()) return;
  reader_->command({"XREAD", "COUNT", std::to_string(options_.read_batch), "BLOCK", std::to_string(kReadBlockMs),
                    "STREAMS", options_.stream_key(), last_id_},
                   [this, link = reader_.get()](const RedisReply& reply) {
                     if (link != reader_.get() || reply.link_failure) return;
                     if (reply.is_error()) {
                       note_error("XREAD failed: " + reply.text);
                       reader_->close();
                       return reader_down(reply.text);
                     }
                     std::vector<ReadEntry> entries = read_entries(reply);
                     if (!entries.empty()) ++reads_;
                     for (ReadEntry& read : entries) {
                       last_id_ = read.id;
                       if (!read.entry) {
                         ++foreign_;
                         continue;
                       }
                       take(read.id, std::move(*read.entry));
                     }
                     read_next();
                   });
}

void ClusterNode::take(const std::string& id, StreamEntry entry) {
  if (entry.node == options_.node_id && entry.boot == boot_) return;  // ours: already here
  if (!ledger_.take(entry.node, entry.boot, entry.seq)) return;
  nlohmann::json event = nlohmann::json::parse(entry.event, nullptr, false);
  if (!event.is_object()) {
    ++*rejected_;
    host_.warn("stream entry " + id + " from node '" + entry.node + "' is not a JSON object; skipped");
    return;
  }
  IngestContext context;
  context.source = event.value("source", std::string("cluster"));
  context.received_at = event.value("timestamp", std::string());
  context.event_id = event.value("event_id", std::string());
  context.replayed = event.value("replayed", false);
  // The bytes as they came (the origin's compact dump): what a handler that
  // tells repeats by their bytes reads, instead of dumping the event again.
  context.raw_bytes = std::move(entry.event);
  ++received_;
  // The answer comes from the bus's thread, maybe after this node stopped:
  // it touches only the host (which outlives the plugin) and a shared count.
  host_.ingest_from_node(std::move(event), std::move(context), entry.node,
                         [host = &host_, rejected = rejected_, id, node = entry.node](IngestResult result) {
                           if (result.status != IngestResult::Status::Rejected) return;
                           ++*rejected;
                           host->warn("event " + id + " from node '" + node + "' was rejected here: " + result.error);
                         });
}

// ---- the Socket.IO redis adapter's format ----------------------------------------
//
// Live only, like the adapter itself: a broadcast made while Redis is away is
// not kept for later (the stream above is what catches up).

void ClusterNode::publish_to_adapter(const nlohmann::json& event) {
  if (options_.socketio_key.empty() || !writer_ || !writer_->ready()) return;
  const std::string channel = event.value("type", std::string()) == "system" ? kSystemChannel : kHookChannel;
  writer_->command({"PUBLISH", adapter_channel(options_.socketio_key), encode_adapter_broadcast(adapter_uid_, channel, event)},
                   [this](const RedisReply& reply) {
                     if (!reply.is_error()) ++adapter_published_;
                   });
}

void ClusterNode::connect_subscriber() {
  if (stopped_) return;
  subscriber_ =
      std::make_shared<RedisLink>(host_.strand(), options_.redis, "hookbroker:" + options_.node_id + ":subscriber");
  subscriber_->connect(
      options_.connect_timeout,
      [this](const std::string& error) {
        if (!error.empty()) return subscriber_down(error);
        subscriber_->psubscribe(adapter_pattern(options_.socketio_key),
                                [this](const RedisReply& message) { hear_adapter(message); });
      },
      [this](const std::string& why) { subscriber_down(why); });
}

void ClusterNode::subscriber_down(const std::string& why) {
  if (stopped_) return;
  note_error(why);
  subscriber_retry_.expires_after(options_.retry_interval);
  subscriber_retry_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) connect_subscriber();
  });
}

void ClusterNode::hear_adapter(const RedisReply& message) {
  // ["pmessage", pattern, channel, payload]; the first reply confirms the
  // subscription.
  if (!message.is_array() || message.elements.size() != 4 || message.elements[0].text != "pmessage") return;
  const std::string& channel = message.elements[2].text;
  // A node of ours (this one included): its events come through the stream.
  // Told by the uid alone, before decoding the whole event.
  if (adapter_sender(message.elements[3].text).rfind("hookbroker:", 0) == 0) return;
  AdapterDecode decoded = decode_adapter_broadcast(options_.socketio_key, channel, message.elements[3].text);
  auto ignore = [this](const std::string& why) {
    ++adapter_ignored_;
    if (why != adapter_last_ignored_) host_.info("a Socket.IO adapter broadcast is not delivered here: " + why);
    adapter_last_ignored_ = why;
  };
  if (!decoded.broadcast) return ignore(decoded.error);
  const AdapterBroadcast& b = *decoded.broadcast;
  if (b.to_rooms) return ignore("it is for rooms, and this broker's clients join none");
  if (b.local_only) return;
  if (b.args.size() > 1)
    return ignore("event '" + b.event + "' has " + std::to_string(b.args.size()) +
                  " arguments; this broker's clients take one");
  ++adapter_received_;
  host_.broadcast(b.event, b.args.empty() ? nlohmann::json() : b.args[0]);
}

// ---- the node directory --------------------------------------------------------

void ClusterNode::announce() {
  if (stopped_) return;
  announce_timer_.cancel();
  if (writer_ && writer_->ready()) {
    const nlohmann::json status = host_.status();
    const nlohmann::json me = {{"node_id", options_.node_id},
                               {"host", status.value("host", std::string())},
                               {"port", status.value("port", 0)},
                               {"version", host_.settings().version},
                               {"pid", status.value("pid", 0)},
                               {"boot", boot_},
                               {"clients", status.value("connected_clients", 0)},
                               {"events", status.value("total_events", 0)},
                               {"sessions", status.value("sessions", 0)},
                               {"last_seen", now_iso8601_utc()}};
    const auto started = std::chrono::steady_clock::now();
    writer_->command({"SET", options_.node_key(options_.node_id), me.dump(), "PX",
                      std::to_string(options_.node_ttl.count())},
                     [this, started](const RedisReply& reply) {
                       if (reply.is_error()) return;
                       latency_ms_ = ms_since(started);
                     });
    writer_->command({"SADD", options_.nodes_key(), options_.node_id}, [](const RedisReply&) {});
    read_directory();
  }
  announce_timer_.expires_after(options_.announce_interval);
  announce_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) announce();
  });
}

void ClusterNode::read_directory() {
  writer_->command({"SMEMBERS", options_.nodes_key()}, [this](const RedisReply& members) {
    if (!members.is_array() || !writer_ || !writer_->ready()) return;
    std::vector<std::string> ids;
    std::vector<std::string> mget = {"MGET"};
    for (const auto& m : members.elements) {
      ids.push_back(m.text);
      mget.push_back(options_.node_key(m.text));
    }
    if (ids.empty()) return;
    writer_->command(mget, [this, ids](const RedisReply& values) {
      if (values.is_error()) return;
      const std::vector<std::string> lost_before = directory_.lost();
      directory_.update(ids, values, NodeDirectory::Clock::now());
      const std::vector<std::string> lost_now = directory_.lost();
      for (const auto& id : lost_now)
        if (std::find(lost_before.begin(), lost_before.end(), id) == lost_before.end()) {
          host_.warn("node '" + id + "' stopped announcing itself (no announcement for " +
                     std::to_string(options_.node_ttl.count()) + " ms): shown as lost, and so are its sessions");
          mark_sessions_of(id, true);
        }
      for (const auto& id : lost_before)
        if (std::find(lost_now.begin(), lost_now.end(), id) == lost_now.end()) {
          host_.info("node '" + id + "' announces itself again");
          mark_sessions_of(id, false);
        }
      for (const auto& id : directory_.long_lost(NodeDirectory::Clock::now(), options_.node_ttl * kForgetAfterTtls)) {
        writer_->command({"SREM", options_.nodes_key(), id}, [](const RedisReply&) {});
        directory_.forget(id);
      }
    });
  });
}

void ClusterNode::mark_sessions_of(const std::string& id, bool lost) {
  SessionTracker* tracker = host_.sessions();
  if (!tracker) return;
  const nlohmann::json sessions = tracker->list();
  for (const auto& s : sessions)
    if (s.is_object() && s.value("node", std::string()) == id)
      tracker->apply({{"session_id", s["session_id"]}, {"node_state", lost ? "lost" : "up"}});
}

// ---- state -----------------------------------------------------------------------

void ClusterNode::note_error(const std::string& error) {
  if (error == last_error_) return;
  if (error.empty()) host_.info("Redis at " + options_.redis.display() + " reachable again");
  else host_.error("Redis at " + options_.redis.display() + ": " + error +
                   "; serving locally, events accepted here are kept (up to buffer_max_events) until it is back");
  last_error_ = error;
}

nlohmann::json ClusterNode::view() const {
  return {{"node_id", options_.node_id},
          {"nodes", directory_.view()},
          {"redis",
           {{"url", options_.redis.url()},
            {"state", state_},
            {"error", last_error_},
            {"latency_ms", latency_ms_},
            {"pending", buffer_.pending()},
            {"dropped", buffer_.dropped()},
            {"published", buffer_.published()},
            {"publish_errors", publish_errors_},
            {"received", received_},
            {"reads", reads_},
            {"repeats_skipped", ledger_.repeats()},
            {"rejected", rejected_->load()},
            {"foreign_entries", foreign_},
            {"resyncs", resyncs_}}},
          {"socketio_adapter",
           {{"key", options_.socketio_key},
            {"published", adapter_published_},
            {"received", adapter_received_},
            {"ignored", adapter_ignored_}}}};
}

}  // namespace hookbroker::cluster
