#include "write_failure.hpp"

#include <cerrno>
#include <cstring>

#include <sqlite3.h>

namespace hookbroker::history {
namespace {

// A full disk stays full for a while; an I/O error may be a passing one.
constexpr std::uint32_t kRetryWhenFull_s = 10;
constexpr std::uint32_t kRetryAfterIoError_s = 5;
constexpr std::uint32_t kRetryWhenLocked_s = 1;

bool is_no_room(int system_errno) { return system_errno == ENOSPC || system_errno == EDQUOT || system_errno == EFBIG; }

}  // namespace

bool is_transient(int sqlite_code) {
  const int primary = sqlite_code & 0xff;
  return primary == SQLITE_BUSY || primary == SQLITE_LOCKED;
}

SinkResult write_failure(int sqlite_code, int system_errno, const std::string& message, const std::string& path) {
  const int primary = sqlite_code & 0xff;
  const std::string where = "cannot write " + path + ": ";
  // SQLite says SQLITE_FULL for ENOSPC and short writes; a write refused
  // whole (EFBIG at a file-size limit, EDQUOT) comes as an I/O error.
  if (primary == SQLITE_FULL || (primary == SQLITE_IOERR && is_no_room(system_errno))) {
    const std::string why = primary == SQLITE_IOERR ? std::strerror(system_errno) : "database or disk is full";
    return SinkResult::storage_full(where + why + " (free space on that file system)", kRetryWhenFull_s);
  }
  if (is_transient(sqlite_code))
    return SinkResult::unavailable(where + "the database is locked by another process", kRetryWhenLocked_s);
  if (primary == SQLITE_IOERR)
    return SinkResult::unavailable(
        where + "I/O error" + (system_errno ? std::string(" (") + std::strerror(system_errno) + ")" : std::string()),
        kRetryAfterIoError_s);
  return SinkResult::unavailable(where + message, kRetryAfterIoError_s);
}

}  // namespace hookbroker::history
