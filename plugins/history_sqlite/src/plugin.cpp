// history_sqlite: durable history in SQLite (WAL mode). Stores every
// accepted event, acknowledging it to its sender only once committed (group
// commit) and failing it back to its sender when the disk cannot take it
// (full, I/O error, queue full), and every heartbeat; answers GET
// /api/history and the Socket.IO get_history request from disk, taking them
// over from the transport's in-memory history; trims itself by age, row count
// and size.
#include <mutex>

#include "history_options.hpp"
#include "history_query.hpp"
#include "history_schema.hpp"
#include "history_writer.hpp"
#include "hookbroker/hookbroker.hpp"

namespace hookbroker::history {

class HistorySqlitePlugin final : public Plugin, public EventSink, public HeartbeatContributor {
 public:
  HistorySqlitePlugin(HostApi& host, const nlohmann::json& config)
      : host_(host), options_(HistoryOptions::from_config(config, host.settings().state_dir)) {}


  void start() override {
    try {
      writer_ = std::make_unique<HistoryWriter>(options_, [h = &host_](bool error, const std::string& line) {
        h->log(error ? LogLevel::Error : LogLevel::Info, line);
      });
      reader_->db = open_history_reader(options_.path);
    } catch (const std::exception& e) {
      throw std::runtime_error(std::string(e.what()) +
                               " (make the directory writable or set plugins.history_sqlite.config.path)");
    }
    host_.info("storing events in " + options_.path + (options_.synchronous_full ? " (synchronous=full)" : " (synchronous=normal)"));
    if (!host_.add_http_route("GET", "/api/history",
                              [this](const HttpRequest& request, HttpReply reply) { http_history(request, reply); }))
      host_.warn("another plugin already serves GET /api/history; it answers from its own store, not from " +
                 options_.path);
    if (!host_.add_client_request("get_history", [this](const ClientInfo&, const nlohmann::json& args,
                                                        ClientReply reply) { client_history(args, reply); }))
      host_.warn("another plugin already answers get_history; Socket.IO clients do not read from " + options_.path);
  }

  void stop() override {
    if (writer_) writer_->stop();  // finishes the queue; the destructor waits for it
  }

  void consume_event(std::shared_ptr<const nlohmann::json> event, SinkDone done) override {
    if (writer_) writer_->add_event(std::move(event), std::move(done));
    else done(SinkResult::stored());
  }

  void on_heartbeat(const nlohmann::json& heartbeat) override {
    if (writer_ && options_.store_heartbeats) writer_->add_heartbeat(trimmed(heartbeat));
  }

  nlohmann::json contribute() override {
    if (!writer_) return nlohmann::json::object();
    const WriterStats& s = writer_->stats();
    return {{"history_sqlite",
             {{"path", options_.path},
              {"state", writer_->state()},
              {"stored", s.stored.load()},
              {"duplicates", s.duplicates.load()},
              {"dropped", s.dropped.load()},
              {"failed", s.failed.load()},
              {"pending", s.pending.load()},
              {"batches", s.batches.load()},
              {"last_batch_size", s.last_batch_size.load()},
              {"last_commit_ms", static_cast<double>(s.last_commit_us.load()) / 1000.0},
              {"deleted", s.deleted.load()},
              {"database_bytes", s.database_bytes.load()}}}};
  }

 private:
  /// A query connection shared by the blocking threads, one query at a time.
  struct Reader {
    std::mutex mutex;
    std::unique_ptr<Database> db;
  };

  /// The heartbeat as stored: its session list (large, and kept by the
  /// tracker anyway) replaced by its length.
  static nlohmann::json trimmed(const nlohmann::json& heartbeat) {
    nlohmann::json out = nlohmann::json::object();
    for (auto it = heartbeat.begin(); it != heartbeat.end(); ++it) {
      if (it.key() != "data" || !it->is_object()) {
        out[it.key()] = *it;
        continue;
      }
      nlohmann::json data = nlohmann::json::object();
      for (auto d = it->begin(); d != it->end(); ++d) {
        if (d.key() == "active_sessions" && d->is_array()) data["active_sessions_count"] = d->size();
        else data[d.key()] = *d;
      }
      out["data"] = std::move(data);
    }
    return out;
  }

  void http_history(const HttpRequest& request, const HttpReply& reply) {
    HistoryQueryParse parsed = parse_history_query(request);
    if (!parsed.ok()) return reply(HttpResponse::error(400, parsed.error));
    host_.run_blocking([reader = reader_, query = std::move(*parsed.query), reply]() {
      try {
        std::lock_guard lock(reader->mutex);
        HttpResponse r;
        r.body = run_query(*reader->db, query);
        reply(std::move(r));
      } catch (const std::exception& e) {
        reply(HttpResponse::error(500, std::string("history query failed: ") + e.what()));
      }
    });
  }

  void client_history(const nlohmann::json& args, const ClientReply& reply) {
    HistoryQueryParse parsed = parse_history_query(args);
    if (!parsed.ok()) return reply(nlohmann::json::array({{{"error", parsed.error}}}));
    host_.run_blocking([reader = reader_, query = std::move(*parsed.query), reply]() {
      try {
        std::lock_guard lock(reader->mutex);
        reply(nlohmann::json::array({nlohmann::json::parse(run_query(*reader->db, query))}));
      } catch (const std::exception& e) {
        reply(nlohmann::json::array({{{"error", std::string("history query failed: ") + e.what()}}}));
      }
    });
  }

  HostApi& host_;
  const HistoryOptions options_;
  std::unique_ptr<HistoryWriter> writer_;
  std::shared_ptr<Reader> reader_ = std::make_shared<Reader>();
};

}  // namespace hookbroker::history

HOOKBROKER_PLUGIN(hookbroker::history::HistorySqlitePlugin, [] {
  hookbroker::PluginInfo info;
  info.name = "history_sqlite";
  info.version = "1.0.0";
  info.description = "Durable event and heartbeat history in SQLite; serves GET /api/history and get_history from disk";
  info.enabled_by_default = false;
  info.heartbeat_keys = "history_sqlite";
  info.options = hookbroker::history::HistoryOptions::table();
  return info;
}())
