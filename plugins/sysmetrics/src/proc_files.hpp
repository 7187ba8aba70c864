// Reading /proc cheaply. Opening a /proc file costs as much as reading it, so
// each file stays open and is re-read with pread from offset 0, which makes
// the kernel generate fresh content; the text lands in a reused buffer (no
// iostreams, no allocation once the buffer has grown). Open descriptors are
// counted without listing them where the kernel allows it.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace hookbroker::sysmetrics {

/// One /proc file kept open between reads.
class ProcFile {
 public:
  explicit ProcFile(std::string path) : path_(std::move(path)) {}
  ~ProcFile();
  ProcFile(const ProcFile&) = delete;
  ProcFile& operator=(const ProcFile&) = delete;

  /// Replaces `buffer` with the file's current content. False (errno set)
  /// when it cannot be opened or read; the next call opens it afresh.
  bool read(std::string& buffer);
  const std::string& path() const { return path_; }

 private:
  const std::string path_;
  int fd_ = -1;
};

/// True when `path` is on a procfs mount (not a test's stand-in directory).
bool is_procfs(const std::string& path);

/// Entries of a /proc/<pid>/fd directory. On procfs since Linux 6.2 the
/// directory's st_size is that count (one stat call, whatever the number of
/// descriptors); elsewhere the directory is listed, skipping the descriptor
/// the listing itself holds. nullopt when unreadable.
std::optional<std::size_t> count_open_fds(const std::string& fd_dir, bool on_procfs);

}  // namespace hookbroker::sysmetrics
