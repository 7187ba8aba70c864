// history_sqlite's configuration: the option table and the checked values.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hookbroker/manifest.hpp"

namespace hookbroker::history {

// Every default lives in HistoryOptions::table() only.
struct Retention {
  std::chrono::milliseconds max_age{0};  ///< max_age_s; 0 = keep forever
  std::int64_t max_rows = 0;             ///< 0 = no limit
  std::int64_t max_bytes = 0;            ///< max_database_bytes; 0 = no limit
  std::chrono::milliseconds check_every{0};  ///< retention_check_s
};

struct HistoryOptions {
  std::string path;           ///< database file
  bool synchronous_full = false;  ///< fsync every commit (power-loss safe), else only process-crash safe
  bool store_heartbeats = false;
  std::size_t max_pending = 0;
  std::size_t max_batch = 0;
  Retention retention;

  /// `config` is complete (defaults filled in by the core; tests:
  /// hookbroker::with_defaults(table(), ...)); an empty path means
  /// <state_dir>/history.sqlite3.
  static HistoryOptions from_config(const nlohmann::json& config, const std::string& state_dir);
  static std::vector<hookbroker_config_option> table();
};

}  // namespace hookbroker::history
