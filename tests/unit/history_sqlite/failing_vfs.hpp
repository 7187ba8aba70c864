// A SQLite VFS that hands everything to the default one, but can make every
// write fail as a full disk (SQLITE_FULL, errno ENOSPC) or an I/O error
// (SQLITE_IOERR_WRITE, errno EIO) does: SQLite's own failure path, on demand,
// without a small file system.
#pragma once

namespace history_test {

enum class WriteFault { None, Full, IoError };

/// Makes the shim SQLite's default VFS (once per process): every database
/// opened afterwards goes through it. Harmless while the fault is None.
void install_failing_vfs();
void set_write_fault(WriteFault fault);

}  // namespace history_test
