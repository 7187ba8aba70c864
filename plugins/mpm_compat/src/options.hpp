// mpm_compat's options: the one table behind its config keys, defaults and
// --describe-plugin.
#pragma once

#include <chrono>
#include <cstddef>
#include <vector>

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
  static std::vector<hookbroker_config_option> table();
};

}  // namespace hookbroker::mpm
