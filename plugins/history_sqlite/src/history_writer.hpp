// The one thread that writes the history database. Events queue here from
// the plugin's strand; the thread takes everything queued (up to max_batch),
// writes it in one transaction, commits, and only then calls each event's
// `done`: the sender's 204 means "on disk". While one batch commits the next
// one gathers, so batches grow with the load (group commit) and a lone event
// waits for one commit only.
//
// A transaction that fails (disk full, I/O error) fails exactly its own
// events back to their senders (503/507, they send them again); a full
// queue fails the event at once. Nothing is acknowledged that is not on
// disk. The log says when writing stops working and when it works again,
// not once per event.
//
// Retention runs on the same thread between batches, in bounded chunks.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "history_options.hpp"
#include "hookbroker/event_sink.hpp"
#include "sqlite_db.hpp"

namespace hookbroker::history {

struct WriterStats {
  std::atomic<std::uint64_t> stored{0};       ///< rows inserted
  std::atomic<std::uint64_t> duplicates{0};   ///< events whose id was already stored
  std::atomic<std::uint64_t> dropped{0};      ///< refused (503): the queue was full
  std::atomic<std::uint64_t> failed{0};       ///< refused (503/507): the database could not store them
  std::atomic<std::uint64_t> batches{0};
  std::atomic<std::uint64_t> deleted{0};      ///< removed by retention
  std::atomic<std::uint64_t> last_batch_size{0};
  std::atomic<std::uint64_t> last_commit_us{0};
  std::atomic<std::int64_t> database_bytes{0};
  std::atomic<std::size_t> pending{0};
};

class HistoryWriter {
 public:
  using Log = std::function<void(bool error, const std::string& message)>;

  /// Opens the database now (throws with the reason if it cannot) and starts the thread.
  HistoryWriter(const HistoryOptions& options, Log log);
  /// Writes what is still queued, then stops the thread.
  ~HistoryWriter();
  HistoryWriter(const HistoryWriter&) = delete;
  HistoryWriter& operator=(const HistoryWriter&) = delete;

  /// Queues an accepted event (as clients received it); `done` runs once it
  /// is committed (stored), or its transaction failed, from the writer
  /// thread. Never blocks; a full queue fails the event at once (Unavailable)
  /// and counts it as dropped.
  void add_event(std::shared_ptr<const nlohmann::json> event, SinkDone done);
  /// Queues a heartbeat (already trimmed for storage).
  void add_heartbeat(nlohmann::json heartbeat);

  /// Asks the thread to finish the queue and stop; the destructor waits.
  void stop();

  const WriterStats& stats() const { return stats_; }
  /// "ok", or why the last transaction failed (writer thread's view).
  std::string state() const;

 private:
  struct Item {
    std::shared_ptr<const nlohmann::json> event;
    bool heartbeat = false;
    SinkDone done;
  };

  void run();
  void write_batch(std::vector<Item>& batch);
  /// Logs a change between writing and failing (never once per event).
  void note_outcome(const SinkResult& outcome, std::size_t events);
  void insert(const Item& item, std::int64_t now_ms);
  void apply_retention();
  std::int64_t delete_chunk(Statement& statement);

  const HistoryOptions options_;
  Log log_;
  std::unique_ptr<Database> db_;
  Statement insert_, delete_older_, delete_oldest_;
  WriterStats stats_;

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Item> queue_;
  bool stopping_ = false;
  std::chrono::steady_clock::time_point next_retention_;
  // Guarded by mutex_: whether the queue is (still) full, whether that was
  // logged, and when.
  bool queue_full_ = false;
  bool full_logged_ = false;
  std::chrono::steady_clock::time_point last_full_log_;
  std::uint64_t dropped_before_full_ = 0;

  mutable std::mutex state_mutex_;
  SinkResult failing_;                ///< Stored while writing works
  std::uint64_t refused_while_failing_ = 0;
  std::thread thread_;
};

}  // namespace hookbroker::history
