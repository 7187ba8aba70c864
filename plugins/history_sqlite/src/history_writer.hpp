// The one thread that writes the history database. Events queue here from
// the plugin's strand; the thread takes everything queued (up to max_batch),
// writes it in one transaction, commits, and only then calls each event's
// `done`: the sender's 204 means "on disk". While one batch commits the next
// one gathers, so batches grow with the load (group commit) and a lone event
// waits for one commit only.
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
#include "sqlite_db.hpp"

namespace hookbroker::history {

struct WriterStats {
  std::atomic<std::uint64_t> stored{0};       ///< rows inserted
  std::atomic<std::uint64_t> duplicates{0};   ///< events whose id was already stored
  std::atomic<std::uint64_t> dropped{0};      ///< refused: the queue was full
  std::atomic<std::uint64_t> failed{0};       ///< lost to a database error
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
  /// is committed, from the writer thread. Never blocks; a full queue calls
  /// `done` at once and counts the event as dropped.
  void add_event(std::shared_ptr<const nlohmann::json> event, std::function<void()> done);
  /// Queues a heartbeat (already trimmed for storage).
  void add_heartbeat(nlohmann::json heartbeat);

  /// Asks the thread to finish the queue and stop; the destructor waits.
  void stop();

  const WriterStats& stats() const { return stats_; }

 private:
  struct Item {
    std::shared_ptr<const nlohmann::json> event;
    bool heartbeat = false;
    std::function<void()> done;
  };

  void run();
  void write_batch(std::vector<Item>& batch);
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
  std::chrono::steady_clock::time_point last_drop_log_;
  std::thread thread_;
};

}  // namespace hookbroker::history
