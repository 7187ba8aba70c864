// The spool directory: where hook events wait while the broker is away.
//
//   events.spool      records appended by hook processes (O_APPEND, one
//                     writev per record, under a shared flock)
//   draining.spool    the file a drainer took aside; nobody appends to it
//   draining.progress how far into draining.spool events are delivered
//   drain.lock        held (flock, exclusive) by whoever drains
//   rejected.spool    records the broker refused or that were damaged, kept
//                     for a person to inspect instead of being dropped
//
// Appenders and the drainer never block each other for more than a rename:
// the drainer takes events.spool's lock exclusively only to rename it to
// draining.spool; an appender that got the shared lock checks its file is
// still named events.spool and reopens otherwise, so no record can land in a
// file the drainer has already read to the end.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "spool/spool_record.hpp"

namespace hookbroker::spool {

inline constexpr uint64_t kDefaultMaxSpoolBytes = 256ull << 20;

struct AppendResult {
  bool ok = false;
  std::string error;  ///< why the record was not written (spool full, I/O error)
};

class SpoolDir {
 public:
  explicit SpoolDir(std::string path) : path_(std::move(path)) {}

  const std::string& path() const { return path_; }
  std::string active_path() const { return path_ + "/events.spool"; }
  std::string draining_path() const { return path_ + "/draining.spool"; }
  std::string progress_path() const { return path_ + "/draining.progress"; }
  std::string lock_path() const { return path_ + "/drain.lock"; }
  std::string rejected_path() const { return path_ + "/rejected.spool"; }

  /// True when events are waiting (in events.spool or draining.spool). A hook
  /// that finds this true must queue behind them to keep the order. Two stat
  /// calls: cheap enough for every hook.
  bool has_pending() const;

  /// Bytes waiting in events.spool and draining.spool.
  uint64_t pending_bytes() const;

  /// Appends one record to events.spool, creating the directory (0700) and
  /// file (0600) when needed. Refuses when waiting bytes would exceed
  /// `max_bytes`. With `sync`, fdatasync()s before returning (survives power
  /// loss, costs milliseconds; without it the record survives any process
  /// crash, including the broker's and this one's).
  AppendResult append(const RecordMeta& meta, std::string_view payload, uint64_t max_bytes = kDefaultMaxSpoolBytes,
                      bool sync = false) const;

  /// Appends a refused or damaged record to rejected.spool (unbounded by the
  /// pending limit, but capped at `max_bytes` in total).
  AppendResult quarantine(const RecordMeta& meta, std::string_view payload,
                          uint64_t max_bytes = kDefaultMaxSpoolBytes) const;

  enum class FreezeResult { Frozen, Nothing, Failed };
  /// For the drainer (holding DrainLock): makes sure draining.spool exists if
  /// anything waits, by renaming events.spool. Frozen also when a
  /// draining.spool was already there (left by an interrupted drain).
  FreezeResult freeze_active(std::string& error) const;

  /// Offset in draining.spool up to which records are delivered (0 if none).
  uint64_t read_progress() const;
  /// Records delivery up to `offset`. A crash between delivering and this
  /// write makes the next drain offer those events again; their ids let the
  /// broker recognise them.
  bool write_progress(uint64_t offset) const;
  /// Removes draining.spool and its progress once everything in it is done.
  void finish_draining() const;

 private:
  std::string path_;
};

/// The drainer's mutex (flock on drain.lock); released on destruction and
/// by the kernel if the holder dies.
class DrainLock {
 public:
  /// `wait` false: give up at once when someone else drains.
  DrainLock(const SpoolDir& dir, bool wait);
  ~DrainLock();
  DrainLock(const DrainLock&) = delete;
  DrainLock& operator=(const DrainLock&) = delete;

  bool held() const { return fd_ >= 0; }
  const std::string& error() const { return error_; }

 private:
  int fd_ = -1;
  std::string error_;
};

}  // namespace hookbroker::spool
