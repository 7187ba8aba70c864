// history_sqlite's configuration: the option table and the checked values.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hookbroker/config.hpp"

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
  /// The option table, a constant for the manifest (config.hpp).
  static constexpr auto table() {
    return hookbroker::config_table(
        option("path", ConfigType::String, R"("")", "database file; empty = <state_dir>/history.sqlite3"),
        choice_option("synchronous", R"("full")",
                      "full: every commit is fsynced (survives power loss); normal: survives a crash of the "
                      "broker, not of the machine, and commits faster",
                      "full|normal"),
        option("store_heartbeats", ConfigType::Bool, "true",
               "store every heartbeat too (its session list replaced by the count) for history plots"),
        renamed(ranged_option("max_age_s", ConfigType::Number, "604800",
                              "seconds an event is kept, by its timestamp; 0 = forever", 0),
                "max_age"),
        ranged_option("max_rows", ConfigType::Int, "1000000", "events and heartbeats kept at most; 0 = no limit", 0),
        renamed(ranged_option("max_database_bytes", ConfigType::Int, "1073741824",
                              "database size in bytes kept at most (oldest rows go first); 0 = no limit", 0),
                "max_megabytes", 1024.0 * 1024.0),
        renamed(ranged_option("retention_check_s", ConfigType::Number, "60", "seconds between retention passes", 0.05,
                              86400),
                "retention_check"),
        ranged_option("max_pending", ConfigType::Int, "100000",
                      "events waiting for the disk at most; beyond, an event is refused (503, its sender "
                      "sends it again; counted as dropped)",
                      100, 10000000),
        ranged_option("max_batch", ConfigType::Int, "5000", "events written per transaction at most", 1, 1000000));
  }
};

}  // namespace hookbroker::history
