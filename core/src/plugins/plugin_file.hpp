// One plugin file as the catalog sees it before deciding anything: where it
// really is (symlinks resolved), whether someone untrusted could change it,
// and its manifest, read from the opened file. Nothing here opens the file
// as a library.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "plugins/manifest_reader.hpp"
#include "plugins/trusted_location.hpp"

namespace hookbroker::core {

struct PluginFile {
  std::string real_path;                  ///< what was checked and read, and what will be opened
  std::vector<LocationProblem> problems;  ///< of the file, and of its directories when it lives elsewhere
  ManifestFileRead manifest;              ///< !ok with a reason when the file could not be read
};

/// Inspects `listed_path`, an entry of the plugin directory `real_dir` (symlinks
/// resolved; the caller checks that directory itself), for the broker's user `user`.
PluginFile inspect_plugin_file(const std::string& listed_path, const std::string& real_dir, uid_t user);

}  // namespace hookbroker::core
