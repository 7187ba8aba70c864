#include "spool/spool_drainer.hpp"

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <fcntl.h>
#include <memory>
#include <mutex>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace hookbroker::spool {
namespace {

/// draining.spool mapped read-only; no appender writes to it any more.
class MappedFile {
 public:
  explicit MappedFile(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      error_ = "open " + path + ": " + std::strerror(errno);
      return;
    }
    struct stat st;
    if (::fstat(fd, &st) != 0) {
      error_ = "stat " + path + ": " + std::strerror(errno);
    } else if (st.st_size > 0) {
      void* p = ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
      if (p == MAP_FAILED) {
        error_ = "map " + path + ": " + std::strerror(errno);
      } else {
        data_ = static_cast<const char*>(p);
        size_ = static_cast<std::size_t>(st.st_size);
      }
    }
    ::close(fd);
  }
  ~MappedFile() {
    if (data_) ::munmap(const_cast<char*>(data_), size_);
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  std::string_view view() const { return {data_, size_}; }
  const std::string& error() const { return error_; }

 private:
  const char* data_ = nullptr;
  std::size_t size_ = 0;
  std::string error_;
};

/// One offered record, answered from any thread.
struct Slot {
  std::size_t end = 0;
  bool answered = false;
  DeliveryResult result;
  bool is_event = true;  // false for a damaged byte range (not counted as delivered)
  RecordMeta meta;       // kept to quarantine a refused record
  std::string payload;   // a copy: an answer may come after the file is unmapped
};

struct Shared {
  std::mutex mutex;
  std::condition_variable changed;
};

enum class FileOutcome { Finished, Stopped };

FileOutcome drain_file(const SpoolDir& dir, const DrainHooks& hooks, const DrainOptions& options,
                       DrainReport& report) {
  MappedFile file(dir.draining_path());
  if (!file.error().empty()) {
    report.stopped_because = file.error();
    return FileOutcome::Stopped;
  }
  const std::string_view data = file.view();
  uint64_t committed = dir.read_progress();
  if (committed > data.size()) committed = 0;  // not this file's progress: start over, ids dedupe

  auto shared = std::make_shared<Shared>();
  std::deque<std::shared_ptr<Slot>> in_flight;
  bool retry = false;

  // Waits for a slot's answer in short slices so a stop request (the broker
  // shutting down, when answers may never come) ends the wait promptly.
  auto wait_answer = [&](std::unique_lock<std::mutex>& lock, const std::shared_ptr<Slot>& slot) {
    const auto give_up = std::chrono::steady_clock::now() + options.answer_timeout;
    while (!slot->answered) {
      if (hooks.stop_requested && hooks.stop_requested()) return false;
      const auto now = std::chrono::steady_clock::now();
      if (now >= give_up) return false;
      shared->changed.wait_for(lock, std::min<std::chrono::steady_clock::duration>(give_up - now, std::chrono::milliseconds(50)));
    }
    return true;
  };

  // Settles answered slots at the front, in order; records progress.
  auto settle = [&](bool wait_for_front) -> bool {
    std::unique_lock<std::mutex> lock(shared->mutex);
    const uint64_t before = committed;
    while (!in_flight.empty()) {
      auto& front = in_flight.front();
      if (!front->answered) {
        if (!wait_for_front) break;
        if (!wait_answer(lock, front)) {
          report.stopped_because = hooks.stop_requested && hooks.stop_requested()
                                       ? "stop requested"
                                       : "no answer for event " + front->meta.event_id + " within " +
                                             std::to_string(options.answer_timeout.count()) + " ms";
          retry = true;
          break;
        }
      }
      if (front->result.kind == DeliveryResult::Kind::Retry) {
        if (report.stopped_because.empty()) report.stopped_because = front->result.detail;
        retry = true;
        break;
      }
      if (front->result.kind == DeliveryResult::Kind::Refused) {
        const auto q = dir.quarantine(front->meta, front->payload);
        if (hooks.warn)
          hooks.warn("event " + front->meta.event_id + " refused: " + front->result.detail +
                     (q.ok ? "; kept in " + dir.rejected_path() : "; could not keep it: " + q.error));
        ++report.refused;
      } else if (front->is_event) {
        ++report.delivered;
      }
      committed = front->end;
      in_flight.pop_front();
    }
    lock.unlock();
    if (committed != before) dir.write_progress(committed);
    return !retry;
  };

  RecordScanner scanner(data, static_cast<std::size_t>(committed));
  ScannedRecord record;
  std::string problem;
  for (;;) {
    if (retry) break;
    if (hooks.stop_requested && hooks.stop_requested()) {
      report.stopped_because = "stop requested";
      retry = true;
      break;
    }
    const auto item = scanner.next(record, problem);
    if (item == RecordScanner::Item::End) break;

    auto slot = std::make_shared<Slot>();
    slot->end = record.end;
    if (item == RecordScanner::Item::Corrupt || item == RecordScanner::Item::Incomplete) {
      // Nobody appends to draining.spool, so an incomplete tail is damage too.
      RecordMeta meta{"damaged-at-" + std::to_string(record.begin), "unknown", false};
      const auto q = dir.quarantine(meta, data.substr(record.begin, record.end - record.begin));
      if (hooks.warn)
        hooks.warn("damaged spool bytes " + std::to_string(record.begin) + "-" + std::to_string(record.end) + " (" +
                   problem + ")" + (q.ok ? "; kept in " + dir.rejected_path() : "; could not keep them: " + q.error));
      ++report.damaged;
      slot->answered = true;
      slot->is_event = false;
      slot->result.kind = DeliveryResult::Kind::Delivered;
      std::lock_guard<std::mutex> lock(shared->mutex);
      in_flight.push_back(slot);
      if (item == RecordScanner::Item::Incomplete) break;
      continue;
    }
    slot->meta = record.meta;
    if (hooks.already_delivered && hooks.already_delivered(record)) {
      ++report.skipped;
      slot->answered = true;
      slot->result.kind = DeliveryResult::Kind::Delivered;
      std::lock_guard<std::mutex> lock(shared->mutex);
      in_flight.push_back(slot);
    } else {
      slot->payload = std::string(record.payload);
      {
        std::lock_guard<std::mutex> lock(shared->mutex);
        in_flight.push_back(slot);
      }
      hooks.deliver(record, [shared, slot](DeliveryResult result) {
        std::lock_guard<std::mutex> lock(shared->mutex);
        if (slot->answered) return;
        slot->result = std::move(result);
        slot->answered = true;
        shared->changed.notify_all();
      });
    }
    settle(false);
    while (!retry && in_flight.size() >= options.window) settle(true);
  }
  while (!retry && !in_flight.empty()) settle(true);
  if (retry) {
    // Let offered records finish before the mapping goes away; their
    // outcome is not recorded, so they are offered again next time.
    std::unique_lock<std::mutex> lock(shared->mutex);
    for (auto& slot : in_flight)
      if (!wait_answer(lock, slot)) break;
    return FileOutcome::Stopped;
  }
  dir.finish_draining();
  return FileOutcome::Finished;
}

}  // namespace

DrainReport drain_spool(const SpoolDir& dir, const DrainHooks& hooks, const DrainOptions& options) {
  DrainReport report;
  DrainLock lock(dir, options.wait_for_lock);
  if (!lock.held()) {
    report.locked_out = true;
    report.stopped_because = lock.error();
    return report;
  }
  for (;;) {
    std::string error;
    switch (dir.freeze_active(error)) {
      case SpoolDir::FreezeResult::Nothing:
        report.complete = true;
        return report;
      case SpoolDir::FreezeResult::Failed:
        report.stopped_because = error;
        return report;
      case SpoolDir::FreezeResult::Frozen:
        break;
    }
    if (drain_file(dir, hooks, options, report) == FileOutcome::Stopped) return report;
  }
}

}  // namespace hookbroker::spool
