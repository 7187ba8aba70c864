// history_ingest_bench: ingest throughput with history_sqlite loaded (every
// acknowledgement waits for the event's commit), beside the same broker
// without it (events kept in memory only), in the same run. Target
// (issue 6): at least 20,000 events/s with history_sqlite on this machine.
//
// Three paths:
// - Socket.IO `claude_event` with an ack, from clients on WebSockets that stay
//   open (the broker's persistent ingestion path): the ack comes after the
//   event sinks are done, like the 204 of a POST.
// - POST /api/events, which the transport answers on a connection of its own
//   per request (no keep-alive), so it measures connection handling as much
//   as ingestion.
// - The plugin's write path alone, in process: HistoryWriter::add_event, which
//   is all the plugin's EventSink::consume does, fed as fast as a strand can,
//   beside the same writer committing every event on its own (max_batch 1),
//   the way a store without group commit would.
//
//   build/bin/history_ingest_bench [events=40000] [connections=32] [sio_clients=4] [window=64]
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <thread>

#include <cstdio>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench_broker.hpp"
#include "broker_process.hpp"
#include "closed_loop_poster.hpp"
#include "socketio_emitter.hpp"
#include "history_writer.hpp"
#include "hookbroker/config.hpp"

using namespace plugins_bench;

namespace {

struct Run {
  PostResult posted;
  long long stored = -1;  ///< rows on disk afterwards; -1 without a database
};

long long rows_in(const std::string& path) {
  sqlite3* db = nullptr;
  long long n = -1;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM events WHERE kind = 'event'", -1, &s, nullptr) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW)
      n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
  }
  sqlite3_close(db);
  return n;
}

std::string bench_event(std::uint64_t i) {
  static const std::string pad(120, 'x');
  return nlohmann::json{{"type", "bench"}, {"subtype", "ingest"}, {"session_id", "s-" + std::to_string(i % 100)},
                        {"data", {{"i", i}, {"pad", pad}}}}
      .dump();
}

/// The broker with the given extra arguments, default plugins otherwise
/// (no transport_jsonl: nothing but the plugin under test writes a file).
std::vector<std::string> broker_args(std::vector<std::string> extra) {
  std::vector<std::string> args = {"--port", "0", "--heartbeat-interval-s", "60"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

/// Starts a broker with `extra`, runs `load(port)` against it, stops it and
/// counts the events on disk when `db` is set: {load's result, rows or -1}.
template <typename Load>
auto against_broker(std::vector<std::string> extra, const std::string& db, Load load) {
  std::pair<decltype(load(0)), long long> out{{}, -1};
  hbtest::BrokerProcess broker(broker_args(std::move(extra)));
  const int port = broker.port();
  if (port <= 0) {
    std::fprintf(stderr, "broker did not start:\n%s\n", broker.output().c_str());
    return out;
  }
  out.first = load(port);
  broker.stop();
  if (!db.empty()) out.second = rows_in(db);
  return out;
}

Run measure(std::vector<std::string> extra, const std::string& db, std::uint64_t events, unsigned connections) {
  const auto [posted, stored] = against_broker(std::move(extra), db, [&](int port) {
    return post_closed_loop(port, events, connections, bench_event,
                            [](std::uint64_t i) { return "bench-" + std::to_string(i); });
  });
  return {posted, stored};
}

struct SioRun {
  EmitResult emitted;
  long long stored = -1;
};

SioRun measure_socketio(std::vector<std::string> extra, const std::string& db, std::uint64_t events,
                        unsigned clients, unsigned window) {
  const auto [emitted, stored] = against_broker(std::move(extra), db, [&](int port) {
    return emit_acked(port, events, clients, window, bench_event);
  });
  return {emitted, stored};
}

void report_socketio(const char* name, const SioRun& r) {
  std::printf("  %-44s %9.0f events/s  (%llu acked, %llu refused, %llu client errors, %.2f s", name,
              r.emitted.per_second(), static_cast<unsigned long long>(r.emitted.acked),
              static_cast<unsigned long long>(r.emitted.refused), static_cast<unsigned long long>(r.emitted.errors),
              r.emitted.seconds);
  if (r.stored >= 0) std::printf(", %lld on disk", r.stored);
  if (!r.emitted.first_problem.empty()) std::printf(", first problem: %s", r.emitted.first_problem.c_str());
  std::printf(")\n");
}

void report(const char* name, const Run& r) {
  std::printf("  %-44s %9.0f events/s  (%llu accepted, %llu refused, %llu errors, %llu connections, %.2f s",
              name, r.posted.per_second(), static_cast<unsigned long long>(r.posted.accepted),
              static_cast<unsigned long long>(r.posted.refused), static_cast<unsigned long long>(r.posted.errors),
              static_cast<unsigned long long>(r.posted.connects), r.posted.seconds);
  if (r.stored >= 0) std::printf(", %lld on disk", r.stored);
  std::printf(")\n");
}

struct WriterRun {
  double per_second = 0;
  std::uint64_t batches = 0;
  double mean_batch() const { return batches ? static_cast<double>(events) / static_cast<double>(batches) : 0; }
  std::uint64_t events = 0;
};

/// Events per second through HistoryWriter alone, each acknowledged after
/// its commit. One thread adds them (as the plugin's strand does), keeping
/// at most `in_flight` unacknowledged (0: all of them at once), like that
/// many clients each waiting for its acknowledgement before sending again.
WriterRun writer_rate(const std::string& path, std::uint64_t events, std::size_t max_batch, bool full,
                      std::uint64_t in_flight = 0) {
  using hookbroker::history::HistoryOptions;
  HistoryOptions o = HistoryOptions::from_config(hookbroker::with_defaults(HistoryOptions::table(), {{"path", path}}), "");
  o.retention = {};  // no retention pass while measuring
  o.synchronous_full = full;
  o.max_batch = max_batch;
  o.max_pending = events + 1;
  o.retention.check_every = std::chrono::hours(1);
  hookbroker::history::HistoryWriter writer(o, [](bool, const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); });
  std::atomic<std::uint64_t> acked{0};
  const std::string pad(120, 'x');
  std::vector<std::shared_ptr<const nlohmann::json>> prepared;
  for (std::uint64_t i = 0; i < events; ++i)
    prepared.push_back(std::make_shared<const nlohmann::json>(nlohmann::json{
        {"type", "bench"}, {"subtype", "ingest"}, {"timestamp", "2026-11-25T10:00:00.000Z"}, {"source", "http"},
        {"event_id", "w-" + std::to_string(i)}, {"session_id", "s-" + std::to_string(i % 100)},
        {"data", {{"i", i}, {"pad", pad}}}}));
  const std::uint64_t window = in_flight == 0 ? events : in_flight;
  const auto start = std::chrono::steady_clock::now();
  std::uint64_t sent = 0;
  for (auto& e : prepared) {
    while (sent - acked.load() >= window) std::this_thread::sleep_for(std::chrono::microseconds(50));
    writer.add_event(std::move(e), [&](const hookbroker::SinkResult&) { ++acked; });  // stored or failed: answered
    ++sent;
  }
  while (acked < events) std::this_thread::sleep_for(std::chrono::microseconds(200));
  WriterRun r;
  r.per_second =
      static_cast<double>(events) / std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  r.batches = writer.stats().batches;
  r.events = events;
  return r;
}

/// The ratio to the broker without history_sqlite, and the verdict on the
/// target for the default settings (synchronous=full).
void compare(double with_history, double without, const char* path) {
  if (without > 0) std::printf("  ratio with / without history_sqlite         %.2fx\n", with_history / without);
  std::printf("  target 20,000 events/s with history_sqlite, %s: %s\n", path,
              with_history >= 20000 ? "met" : "MISSED");
}

}  // namespace

int main(int argc, char** argv) {
  const std::uint64_t events = argc > 1 ? std::stoull(argv[1]) : 40000;
  const unsigned connections = argc > 2 ? static_cast<unsigned>(std::stoul(argv[2])) : 32;
  const unsigned sio_clients = argc > 3 ? static_cast<unsigned>(std::stoul(argv[3])) : 4;
  const unsigned window = argc > 4 ? static_cast<unsigned>(std::stoul(argv[4])) : 64;
  hbtest::TempDir dir;
  auto with_history = [&](const std::string& file, const std::string& synchronous) {
    std::vector<std::string> args = set("plugins.history_sqlite.enabled", "true");
    for (const auto& a : {set("plugins.history_sqlite.config.path", dir.file(file)),
                          set("plugins.history_sqlite.config.synchronous", synchronous)})
      args.insert(args.end(), a.begin(), a.end());
    return args;
  };
  const SioRun sio_full =
      measure_socketio(with_history("sio.sqlite3", "full"), dir.file("sio.sqlite3"), events, sio_clients, window);
  const SioRun sio_memory = measure_socketio({}, "", events, sio_clients, window);
  std::printf("Socket.IO claude_event with ack, %llu events, %u WebSocket clients, %u in flight each\n",
              static_cast<unsigned long long>(events), sio_clients, window);
  report_socketio("history_sqlite, synchronous=full (default)", sio_full);
  report_socketio("peer: same broker, no history_sqlite", sio_memory);
  compare(sio_full.emitted.per_second(), sio_memory.emitted.per_second(), "end to end over Socket.IO");

  const Run full = measure(with_history("full.sqlite3", "full"), dir.file("full.sqlite3"), events, connections);
  const Run normal = measure(with_history("normal.sqlite3", "normal"), dir.file("normal.sqlite3"), events, connections);
  const Run memory = measure({}, "", events, connections);

  std::printf("POST /api/events, %llu events, %u keep-alive connections, closed loop\n",
              static_cast<unsigned long long>(events), connections);
  report("history_sqlite, synchronous=full (default)", full);
  report("history_sqlite, synchronous=normal", normal);
  report("peer: same broker, no history_sqlite", memory);
  compare(full.posted.per_second(), memory.posted.per_second(), "end to end over HTTP");

  const WriterRun grouped = writer_rate(dir.file("writer-group.sqlite3"), 100000, 5000, true);
  const WriterRun windowed =
      writer_rate(dir.file("writer-window.sqlite3"), 40000, 5000, true, std::uint64_t{sio_clients} * window);
  const WriterRun single = writer_rate(dir.file("writer-single.sqlite3"), 2000, 1, true);
  std::printf("history_sqlite write path alone (HistoryWriter::add_event, all EventSink::consume does;\n"
              "synchronous=full, every event acknowledged after its commit)\n");
  std::printf("  group commit, all queued at once             %9.0f events/s  (100000 events, %.0f per commit)\n",
              grouped.per_second, grouped.mean_batch());
  std::printf("  group commit, %5llu in flight (as above)     %9.0f events/s  (40000 events, %.0f per commit)\n",
              static_cast<unsigned long long>(std::uint64_t{sio_clients} * window), windowed.per_second,
              windowed.mean_batch());
  std::printf("  peer: one commit per event (max_batch 1)     %9.0f events/s  (2000 events)\n", single.per_second);
  std::printf("  ratio group (all queued) / per-event commit  %.0fx\n", grouped.per_second / single.per_second);
  std::printf("  target 20,000 events/s, store alone: %s\n", grouped.per_second >= 20000 ? "met" : "MISSED");
  return 0;
}
