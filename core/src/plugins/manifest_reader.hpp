// Reads a plugin's manifest from its library file without opening the library
// (no dlopen, so none of its code runs): the ELF headers are checked for this
// machine, the manifest section is read, and its text parsed by the SDK's
// reader (hookbroker/manifest.hpp). The bytes come from a file anyone may
// have written, so every size and offset is libelf's to check, and the
// section's size is capped.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "hookbroker/manifest.hpp"

namespace hookbroker::core {

struct ManifestFileRead {
  bool ok = false;
  PluginManifest manifest;  ///< when !ok, `name` may still be set (for messages)
  std::string text;         ///< the manifest text as found, to compare with the opened library
  std::string reason;       ///< when !ok: why, with what to do, e.g. "not a shared library (...)"
};

/// Reads the manifest of the library file open at `fd` (read with pread;
/// the file is never mapped, so a file truncated meanwhile cannot fault).
ManifestFileRead read_manifest_from_file(int fd);

/// The same for a file's bytes in memory (tests, the fuzzer).
ManifestFileRead read_manifest_from_image(std::string_view image);

/// libelf is not linked: each read opens it (dlopen) and closes it after,
/// so the broker does not keep it mapped once its plugins are scanned.
/// Holding a ManifestReading keeps one opening for every read meanwhile (a
/// scan of many files). Any thread.
class ManifestReading {
 public:
  ManifestReading();
  ~ManifestReading();
  ManifestReading(const ManifestReading&) = delete;
  ManifestReading& operator=(const ManifestReading&) = delete;

 private:
  std::shared_ptr<const void> library_;
};

}  // namespace hookbroker::core
