#include "failing_vfs.hpp"

#include <sqlite3.h>

#include <atomic>
#include <cerrno>
#include <mutex>
#include <stdexcept>

namespace history_test {
namespace {

sqlite3_vfs* real_vfs = nullptr;
sqlite3_vfs shim_vfs;
sqlite3_io_methods shim_methods;
std::atomic<WriteFault> current_fault{WriteFault::None};

struct ShimFile {
  sqlite3_file base;
  sqlite3_file* real;  // the default VFS's file, right after this struct
};

sqlite3_file* real_of(sqlite3_file* file) { return reinterpret_cast<ShimFile*>(file)->real; }
const sqlite3_io_methods& real_methods(sqlite3_file* file) { return *real_of(file)->pMethods; }

int shim_write(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
  switch (current_fault.load()) {
    case WriteFault::Full:
      errno = ENOSPC;
      return SQLITE_FULL;
    case WriteFault::IoError:
      errno = EIO;
      return SQLITE_IOERR_WRITE;
    case WriteFault::None:
      break;
  }
  return real_methods(file).xWrite(real_of(file), data, amount, offset);
}

int shim_open(sqlite3_vfs*, const char* name, sqlite3_file* file, int flags, int* out_flags) {
  auto* shim = reinterpret_cast<ShimFile*>(file);
  shim->real = reinterpret_cast<sqlite3_file*>(shim + 1);
  const int rc = real_vfs->xOpen(real_vfs, name, shim->real, flags, out_flags);
  shim->base.pMethods = shim->real->pMethods ? &shim_methods : nullptr;
  return rc;
}

void build() {
  real_vfs = sqlite3_vfs_find(nullptr);
  if (!real_vfs) throw std::runtime_error("no default SQLite VFS");
  shim_methods = sqlite3_io_methods{};
  shim_methods.iVersion = 3;
  shim_methods.xClose = [](sqlite3_file* f) { return real_methods(f).xClose(real_of(f)); };
  shim_methods.xRead = [](sqlite3_file* f, void* d, int n, sqlite3_int64 o) {
    return real_methods(f).xRead(real_of(f), d, n, o);
  };
  shim_methods.xWrite = shim_write;
  shim_methods.xTruncate = [](sqlite3_file* f, sqlite3_int64 size) { return real_methods(f).xTruncate(real_of(f), size); };
  shim_methods.xSync = [](sqlite3_file* f, int flags) { return real_methods(f).xSync(real_of(f), flags); };
  shim_methods.xFileSize = [](sqlite3_file* f, sqlite3_int64* size) {
    return real_methods(f).xFileSize(real_of(f), size);
  };
  shim_methods.xLock = [](sqlite3_file* f, int level) { return real_methods(f).xLock(real_of(f), level); };
  shim_methods.xUnlock = [](sqlite3_file* f, int level) { return real_methods(f).xUnlock(real_of(f), level); };
  shim_methods.xCheckReservedLock = [](sqlite3_file* f, int* out) {
    return real_methods(f).xCheckReservedLock(real_of(f), out);
  };
  shim_methods.xFileControl = [](sqlite3_file* f, int op, void* arg) {
    return real_methods(f).xFileControl(real_of(f), op, arg);
  };
  shim_methods.xSectorSize = [](sqlite3_file* f) { return real_methods(f).xSectorSize(real_of(f)); };
  shim_methods.xDeviceCharacteristics = [](sqlite3_file* f) {
    return real_methods(f).xDeviceCharacteristics(real_of(f));
  };
  shim_methods.xShmMap = [](sqlite3_file* f, int region, int size, int extend, void volatile** out) {
    return real_methods(f).xShmMap(real_of(f), region, size, extend, out);
  };
  shim_methods.xShmLock = [](sqlite3_file* f, int offset, int n, int flags) {
    return real_methods(f).xShmLock(real_of(f), offset, n, flags);
  };
  shim_methods.xShmBarrier = [](sqlite3_file* f) { real_methods(f).xShmBarrier(real_of(f)); };
  shim_methods.xShmUnmap = [](sqlite3_file* f, int remove) { return real_methods(f).xShmUnmap(real_of(f), remove); };
  shim_methods.xFetch = [](sqlite3_file* f, sqlite3_int64 o, int n, void** out) {
    return real_methods(f).xFetch(real_of(f), o, n, out);
  };
  shim_methods.xUnfetch = [](sqlite3_file* f, sqlite3_int64 o, void* p) {
    return real_methods(f).xUnfetch(real_of(f), o, p);
  };

  shim_vfs = *real_vfs;
  shim_vfs.pNext = nullptr;
  shim_vfs.zName = "hookbroker_test_failing";
  shim_vfs.szOsFile = static_cast<int>(sizeof(ShimFile)) + real_vfs->szOsFile;
  shim_vfs.xOpen = shim_open;
  // Every other call goes to the default VFS as itself.
  shim_vfs.xDelete = [](sqlite3_vfs*, const char* name, int sync) { return real_vfs->xDelete(real_vfs, name, sync); };
  shim_vfs.xAccess = [](sqlite3_vfs*, const char* name, int flags, int* out) {
    return real_vfs->xAccess(real_vfs, name, flags, out);
  };
  shim_vfs.xFullPathname = [](sqlite3_vfs*, const char* name, int n, char* out) {
    return real_vfs->xFullPathname(real_vfs, name, n, out);
  };
  shim_vfs.xRandomness = [](sqlite3_vfs*, int n, char* out) { return real_vfs->xRandomness(real_vfs, n, out); };
  shim_vfs.xSleep = [](sqlite3_vfs*, int us) { return real_vfs->xSleep(real_vfs, us); };
  shim_vfs.xCurrentTime = [](sqlite3_vfs*, double* out) { return real_vfs->xCurrentTime(real_vfs, out); };
  shim_vfs.xGetLastError = [](sqlite3_vfs*, int n, char* out) { return real_vfs->xGetLastError(real_vfs, n, out); };
  shim_vfs.xCurrentTimeInt64 = [](sqlite3_vfs*, sqlite3_int64* out) {
    return real_vfs->xCurrentTimeInt64(real_vfs, out);
  };
}

}  // namespace

void install_failing_vfs() {
  static std::once_flag once;
  std::call_once(once, [] {
    build();
    if (sqlite3_vfs_register(&shim_vfs, 1) != SQLITE_OK) throw std::runtime_error("cannot register the test VFS");
  });
}

void set_write_fault(WriteFault fault) { current_fault = fault; }

}  // namespace history_test
