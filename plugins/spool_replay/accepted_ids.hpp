// The ids of events this broker accepted, kept on disk so exactly-once
// survives a crash of the broker itself.
//
// Why: the core forgets accepted ids when the process dies. If the broker is
// killed after accepting an event but before the forwarder got its 204, the
// forwarder spools the event and it would be replayed a second time. The
// plugin is an EventSink, so the sender's 204 waits until the id is written
// here (one write(2); the page cache outlives a killed process). At start the
// ids of earlier runs are loaded and a replayed record carrying one of them is
// skipped. Two generations (accepted-ids.log, accepted-ids.old) of `keep`
// lines each bound the file; only ids of the last moments before a crash are
// ever needed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace hookbroker::spool_replay {

class AcceptedIds {
 public:
  AcceptedIds(std::string dir, std::size_t keep) : dir_(std::move(dir)), keep_(keep) {}
  ~AcceptedIds();
  AcceptedIds(const AcceptedIds&) = delete;
  AcceptedIds& operator=(const AcceptedIds&) = delete;

  /// Loads the ids earlier runs recorded and opens the journal for appending.
  /// False with `error` when the journal cannot be written.
  bool open(std::string& error);

  /// True when an earlier run of the broker accepted `id`. Thread-safe
  /// (the loaded set never changes after open()).
  bool accepted_before(const std::string& id) const;

  /// Records an accepted id. Only forwarder ids (32 hex digits) are kept:
  /// no other sender's events ever sit in the spool.
  void record(const std::string& id);

  std::size_t loaded_count() const { return loaded_.size(); }
  std::string current_path() const { return dir_ + "/accepted-ids.log"; }
  std::string previous_path() const { return dir_ + "/accepted-ids.old"; }

  /// 32 hex digits → 128 bits; false for anything else.
  static bool parse_id(const std::string& text, std::pair<uint64_t, uint64_t>& out);

 private:
  void load_file(const std::string& path, std::size_t* lines);

  const std::string dir_;
  const std::size_t keep_;
  std::vector<std::pair<uint64_t, uint64_t>> loaded_;  // sorted
  std::mutex mutex_;                                    // guards fd_ and lines_
  int fd_ = -1;
  std::size_t lines_ = 0;
};

}  // namespace hookbroker::spool_replay
