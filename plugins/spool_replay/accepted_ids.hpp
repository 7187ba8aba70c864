// The ids of events this broker accepted, kept on disk so exactly-once
// survives a crash of the broker itself.
//
// Why: the core forgets accepted ids when the process dies. If the broker is
// killed after accepting an event but before the forwarder got its 204, the
// forwarder spools the event (marked "maybe delivered") and it would be
// replayed a second time. At start the ids of earlier runs are loaded, and a
// replayed record carrying one of them is skipped.
//
// An id is written (one write(2); the page cache outlives a killed process)
// in one of two ways:
//  - live (`<id>`): the plugin is an EventSink, so the sender's 204 waits
//    until the id of an event that arrived live is written. That happens
//    before the other sinks' verdict: when one of them fails the event, its
//    sender got 503/507 and spooled it without the "maybe delivered" mark,
//    so a live id skips only a record with that mark.
//  - replayed (`<id> r`): the replay runner writes the id of a spooled event
//    once the broker took it (every sink): it skips any record, so a drain
//    interrupted before it recorded its progress does not show it twice.
//
// Bounded by what is still needed: only ids of records still in the spool,
// and ids written within `window` (a forwarder that got no answer spools
// within its own timeout, HOOKBROKER_HOOK_TIMEOUT_MS), are ever consulted.
// compact() rewrites the journal with just those (at most `keep`), crash-safe:
// a new file, fsynced, renamed over the old one.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace hookbroker::spool_replay {

class AcceptedIds {
 public:
  enum class Way : std::uint8_t { Live = 1, Replayed = 2 };

  AcceptedIds(std::string dir, std::size_t keep, std::chrono::milliseconds window)
      : dir_(std::move(dir)), keep_(keep), window_(window) {}
  ~AcceptedIds();
  AcceptedIds(const AcceptedIds&) = delete;
  AcceptedIds& operator=(const AcceptedIds&) = delete;

  /// Loads the ids earlier runs recorded (the first time) and opens the
  /// journal for appending. False with `error` when it cannot be written;
  /// call again later to retry.
  bool open(std::string& error);
  /// The journal is open for writing.
  bool writable() const;

  /// True when an earlier run of the broker took the event with `id`: for a
  /// record marked "maybe delivered" any recorded way counts, otherwise only
  /// a replay (see the top of this file). Thread-safe (the loaded ids never
  /// change after the first open()).
  bool accepted_before(const std::string& id, bool maybe_delivered) const;

  /// Records an accepted id. Only forwarder ids (32 hex digits) are kept: no
  /// other sender's events ever sit in the spool. False when the write
  /// failed: the journal is then closed and `error` says why (open() retries).
  bool record(const std::string& id, Way way, std::string* error = nullptr);

  /// The journal has grown to twice what the last compaction kept.
  bool compaction_due() const;
  /// Rewrites the journal with the ids still needed: those of `waiting` (the
  /// records still in the spool) and those written within the window; at
  /// most `keep`, the newest. False with `error` when it could not (the old
  /// journal is then still complete).
  bool compact(const std::vector<std::string>& waiting, std::string& error);

  std::size_t loaded_count() const { return loaded_.size(); }
  /// Ids in the journal file now.
  std::size_t journal_count() const;
  std::string current_path() const { return dir_ + "/accepted-ids.log"; }
  /// Written by older brokers (two generations); read once, then removed.
  std::string previous_path() const { return dir_ + "/accepted-ids.old"; }
  std::string compacting_path() const { return dir_ + "/accepted-ids.tmp"; }

  /// 32 hex digits → 128 bits; false for anything else.
  static bool parse_id(const std::string& text, std::pair<uint64_t, uint64_t>& out);

 private:
  using Key = std::pair<uint64_t, uint64_t>;
  struct Entry {
    Key key;
    std::uint8_t ways = 0;  ///< Way bits
    std::chrono::steady_clock::time_point at;
  };

  void load_file(const std::string& path);
  bool open_journal(std::string& error);

  const std::string dir_;
  const std::size_t keep_;
  const std::chrono::milliseconds window_;
  std::vector<std::pair<Key, std::uint8_t>> loaded_;  // sorted by key; earlier runs' ids
  bool loaded_once_ = false;

  std::mutex compact_mutex_;  // one compaction at a time
  mutable std::mutex mutex_;  // guards everything below
  int fd_ = -1;
  std::vector<Entry> journal_;       // what the file holds, oldest first
  std::size_t kept_at_compaction_ = 0;
};

}  // namespace hookbroker::spool_replay
