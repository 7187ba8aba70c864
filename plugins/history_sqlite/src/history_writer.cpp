#include "history_writer.hpp"

#include <utility>

#include "history_schema.hpp"
#include "write_failure.hpp"

namespace hookbroker::history {
namespace {

constexpr std::int64_t kRetentionChunk = 5000;
constexpr int kCommitAttempts = 3;
constexpr auto kFullLogInterval = std::chrono::seconds(10);

std::string_view string_field(const nlohmann::json& event, const char* key) {
  const auto it = event.find(key);
  return it != event.end() && it->is_string() ? std::string_view(it->get_ref<const std::string&>())
                                              : std::string_view();
}

std::int64_t now_millis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

HistoryWriter::HistoryWriter(const HistoryOptions& options, Log log)
    : options_(options), log_(std::move(log)), db_(open_history_database(options.path, options.synchronous_full)) {
  insert_ = db_->prepare(
      "INSERT OR IGNORE INTO events(event_id, kind, ts_ms, timestamp, type, subtype, session_id, body) "
      "VALUES (?1, ?2, COALESCE(" + iso_to_millis_sql("?3") + ", ?4), ?3, ?5, ?6, ?7, ?8)");
  delete_older_ = db_->prepare(
      "DELETE FROM events WHERE seq IN (SELECT seq FROM events WHERE kind IN ('event', 'heartbeat') "
      "AND ts_ms < ?1 LIMIT ?2)");
  delete_oldest_ = db_->prepare("DELETE FROM events WHERE seq IN (SELECT seq FROM events ORDER BY seq LIMIT ?1)");
  next_retention_ = std::chrono::steady_clock::now();
  thread_ = std::thread([this] { run(); });
}

HistoryWriter::~HistoryWriter() {
  stop();
  if (thread_.joinable()) thread_.join();
}

void HistoryWriter::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
}

void HistoryWriter::add_event(std::shared_ptr<const nlohmann::json> event, SinkDone done) {
  std::unique_lock lock(mutex_);
  if (stopping_) {
    lock.unlock();
    if (done) done(SinkResult::unavailable("history_sqlite is stopping", 1));
    return;
  }
  std::string line;
  bool error = false;
  if (queue_.size() < options_.max_pending) {
    queue_.push_back({std::move(event), false, std::move(done)});
    stats_.pending = queue_.size();
    // Room again once half of it drained, and said only if "full" was.
    if (queue_full_ && queue_.size() < options_.max_pending / 2) {
      queue_full_ = false;
      if (std::exchange(full_logged_, false))
        line = "history queue has room again; " + std::to_string(stats_.dropped.load() - dropped_before_full_) +
               " event(s) were refused while it was full";
    }
    lock.unlock();
    wake_.notify_one();
    if (!line.empty()) log_(false, line);
    return;
  }
  const auto now = std::chrono::steady_clock::now();
  if (!std::exchange(queue_full_, true) && !full_logged_ && now - last_full_log_ >= kFullLogInterval) {
    // A queue that fills and drains in quick turns is said to be full once
    // per interval, not at every turn.
    full_logged_ = true;
    last_full_log_ = now;
    dropped_before_full_ = stats_.dropped.load();
    line = "history queue full (" + std::to_string(options_.max_pending) +
           " events waiting for the disk): new events are refused (503) until it drains. Is the disk slow?";
    error = true;
  }
  ++stats_.dropped;
  lock.unlock();
  if (!line.empty()) log_(error, line);
  if (done)
    done(SinkResult::unavailable(
        "history queue full (" + std::to_string(options_.max_pending) + " events waiting for the disk)", 1));
}

void HistoryWriter::add_heartbeat(nlohmann::json heartbeat) {
  {
    std::lock_guard lock(mutex_);
    if (queue_.size() >= options_.max_pending || stopping_) {
      ++stats_.dropped;
      return;
    }
    queue_.push_back({std::make_shared<const nlohmann::json>(std::move(heartbeat)), true, nullptr});
    stats_.pending = queue_.size();
  }
  wake_.notify_one();
}

void HistoryWriter::run() {
  std::vector<Item> batch;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait_until(lock, next_retention_, [&] { return stopping_ || !queue_.empty(); });
      const std::size_t n = std::min(queue_.size(), options_.max_batch);
      batch.assign(std::make_move_iterator(queue_.begin()), std::make_move_iterator(queue_.begin() + n));
      queue_.erase(queue_.begin(), queue_.begin() + n);
      stats_.pending = queue_.size();
      if (batch.empty() && stopping_) break;
    }
    if (!batch.empty()) write_batch(batch);
    batch.clear();
    if (std::chrono::steady_clock::now() >= next_retention_) {
      try {
        apply_retention();
      } catch (const std::exception& e) {
        log_(true, std::string("retention pass failed: ") + e.what() + "; trying again at the next pass");
      }
      next_retention_ = std::chrono::steady_clock::now() + options_.retention.check_every;
    }
  }
  try {
    db_->exec("PRAGMA wal_checkpoint(TRUNCATE)");  // leave a compact file behind
  } catch (const std::exception&) {
  }
}

void HistoryWriter::insert(const Item& item, std::int64_t now_ms) {
  const nlohmann::json& e = *item.event;
  // Replace rather than throw on invalid UTF-8: a stored event must never
  // take its batch down.
  const std::string body = e.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  insert_.bind_or_null(1, string_field(e, "event_id"))
      .bind(2, item.heartbeat ? std::string_view("heartbeat") : std::string_view("event"))
      .bind(3, string_field(e, "timestamp"))
      .bind(4, now_ms)
      .bind(5, string_field(e, "type"))
      .bind(6, string_field(e, "subtype"))
      .bind_or_null(7, string_field(e, "session_id"))
      .bind(8, body);
  insert_.step();
  const bool stored = db_->changes() > 0;
  insert_.reset();
  if (stored) ++stats_.stored;
  else ++stats_.duplicates;
}

void HistoryWriter::write_batch(std::vector<Item>& batch) {
  const auto started = std::chrono::steady_clock::now();
  const std::int64_t now_ms = now_millis();
  const std::uint64_t stored_before = stats_.stored, duplicates_before = stats_.duplicates;
  SinkResult outcome;
  for (int attempt = 1; attempt <= kCommitAttempts; ++attempt) {
    try {
      db_->exec("BEGIN IMMEDIATE");
      for (const auto& item : batch) insert(item, now_ms);
      db_->exec("COMMIT");
      outcome = SinkResult::stored();
      break;
    } catch (const std::exception& e) {
      // Read before anything else talks to SQLite: the failed call's errno.
      const int system_errno = sqlite3_system_errno(db_->handle());
      const auto* sqlite_error = dynamic_cast<const SqliteError*>(&e);
      const int code = sqlite_error ? sqlite_error->code() : SQLITE_ERROR;
      outcome = write_failure(code, system_errno, e.what(), options_.path);
      insert_.reset();
      try {
        db_->exec("ROLLBACK");
      } catch (const std::exception&) {
        // SQLite rolled back by itself (a full disk does that).
      }
      stats_.stored = stored_before;  // nothing of this attempt was kept
      stats_.duplicates = duplicates_before;
      if (!is_transient(code)) break;
      if (attempt < kCommitAttempts) std::this_thread::sleep_for(std::chrono::milliseconds(100 << attempt));
    }
  }
  std::size_t events = 0;
  for (const auto& item : batch) events += item.heartbeat ? 0 : 1;
  if (!outcome.ok()) stats_.failed += events;
  note_outcome(outcome, events);
  ++stats_.batches;
  stats_.last_batch_size = batch.size();
  stats_.last_commit_us =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started).count();
  // Answer only now: with the commit returned, the events are on disk; with
  // it failed, exactly this transaction's events go back to their senders.
  for (auto& item : batch)
    if (item.done) item.done(outcome);
}

void HistoryWriter::note_outcome(const SinkResult& outcome, std::size_t events) {
  std::string line;
  bool error = false;
  {
    std::lock_guard lock(state_mutex_);
    if (outcome.ok()) {
      if (!failing_.ok())
        line = "storing events in " + options_.path + " again; " + std::to_string(refused_while_failing_) +
               " event(s) were refused meanwhile (their senders send them again)";
      failing_ = SinkResult::stored();
      refused_while_failing_ = 0;
    } else {
      if (failing_.status != outcome.status || failing_.reason != outcome.reason) {
        line = outcome.reason + "; events are refused (" +
               (outcome.status == SinkResult::Status::StorageFull ? "507" : "503") +
               ", their senders send them again) until a write succeeds";
        error = true;
      }
      failing_ = outcome;
      refused_while_failing_ += events;
    }
  }
  if (!line.empty()) log_(error, line);
}

std::string HistoryWriter::state() const {
  std::lock_guard lock(state_mutex_);
  return failing_.ok() ? "ok" : failing_.reason;
}

std::int64_t HistoryWriter::delete_chunk(Statement& statement) {
  statement.step();
  const std::int64_t n = db_->changes();
  statement.reset();
  stats_.deleted += static_cast<std::uint64_t>(n);
  return n;
}

void HistoryWriter::apply_retention() {
  const Retention& r = options_.retention;
  auto events_waiting = [&] {
    std::lock_guard lock(mutex_);
    return !queue_.empty();
  };
  // Deleting runs in chunks, each its own transaction, and yields to waiting
  // events: retention never holds up an acknowledgement for long.
  if (r.max_age.count() > 0) {
    const std::int64_t cutoff = now_millis() - r.max_age.count();
    for (;;) {
      delete_older_.bind(1, cutoff).bind(2, kRetentionChunk);
      if (delete_chunk(delete_older_) < kRetentionChunk || events_waiting()) break;
    }
  }
  if (r.max_rows > 0) {
    std::int64_t excess = db_->query_int64("SELECT count(*) FROM events") - r.max_rows;
    while (excess > 0 && !events_waiting()) {
      delete_oldest_.bind(1, std::min(excess, kRetentionChunk));
      const std::int64_t n = delete_chunk(delete_oldest_);
      if (n == 0) break;
      excess -= n;
    }
  }
  const std::int64_t page_size = db_->query_int64("PRAGMA page_size");
  auto used_bytes = [&] {
    return (db_->query_int64("PRAGMA page_count") - db_->query_int64("PRAGMA freelist_count")) * page_size;
  };
  if (r.max_bytes > 0) {
    while (used_bytes() > r.max_bytes && !events_waiting()) {
      // Remove a twentieth of the rows at a time: size per row varies too
      // much to compute an exact count.
      const std::int64_t rows = db_->query_int64("SELECT count(*) FROM events");
      if (rows == 0) break;
      delete_oldest_.bind(1, std::max<std::int64_t>(rows / 20, 100));
      delete_chunk(delete_oldest_);
    }
  }
  if (db_->query_int64("PRAGMA freelist_count") > 0) db_->exec("PRAGMA incremental_vacuum");
  stats_.database_bytes = db_->query_int64("PRAGMA page_count") * page_size;
}

}  // namespace hookbroker::history
