// mpm_compat's options: the one table behind its config keys, defaults and
// --describe-plugin.
#pragma once

#include <chrono>
#include <cstddef>

#include <nlohmann/json.hpp>

#include "hookbroker/config.hpp"

namespace hookbroker::mpm {

struct Options {
  std::size_t max_file_bytes = 0;     ///< largest file /api/file/read serves
  std::size_t max_list_entries = 0;   ///< entries /api/files lists per directory
  std::chrono::milliseconds git_timeout{};  ///< per git run
  std::size_t max_git_output_bytes = 0;     ///< per git run (diffs, logs)

  /// Reads a complete config object (the core filled in the table's defaults).
  static Options from_config(const nlohmann::json& config);
  /// The option table, a constant for the manifest (config.hpp).
  static constexpr auto table() {
    return hookbroker::config_table(
        ranged_option("max_file_bytes", ConfigType::Int, "2097152",
                      "largest file /api/file/read and POST /api/file serve; bigger ones get 413", 1, 1073741824),
        ranged_option("max_list_entries", ConfigType::Int, "2000",
                      "directory entries /api/files lists; past it the answer says \"truncated\": true", 1,
                      1000000),
        ranged_option("git_timeout_ms", ConfigType::Int, "5000",
                      "ms one git run (/api/file/diff, /api/git-history) may take before it is killed", 100, 600000),
        ranged_option("max_git_output_bytes", ConfigType::Int, "4194304",
                      "output kept from one git run; a longer diff or log gets 413", 1024, 1073741824));
  }
};

}  // namespace hookbroker::mpm
