#include "history_options.hpp"

#include "hookbroker/config.hpp"

namespace hookbroker::history {
namespace {

std::chrono::milliseconds seconds(const nlohmann::json& c, const char* key, double fallback) {
  return std::chrono::milliseconds(static_cast<long long>(c.value(key, fallback) * 1000.0));
}

}  // namespace

HistoryOptions HistoryOptions::from_config(const nlohmann::json& c, const std::string& state_dir) {
  HistoryOptions o;
  o.path = c.value("path", std::string());
  if (o.path.empty()) o.path = (state_dir.empty() ? std::string(".") : state_dir) + "/history.sqlite3";
  o.synchronous_full = c.value("synchronous", std::string("full")) == "full";
  o.store_heartbeats = c.value("store_heartbeats", true);
  o.max_pending = c.value("max_pending", std::size_t{100000});
  o.max_batch = c.value("max_batch", std::size_t{5000});
  o.retention.max_age = seconds(c, "max_age", 7 * 86400);
  o.retention.max_rows = c.value("max_rows", std::int64_t{1000000});
  o.retention.max_bytes = static_cast<std::int64_t>(c.value("max_megabytes", 1024.0) * 1024 * 1024);
  o.retention.check_every = seconds(c, "retention_check", 60);
  return o;
}

std::vector<hookbroker_config_option> HistoryOptions::table() {
  return {
      option("path", ConfigType::String, R"("")", "database file; empty = <state_dir>/history.sqlite3"),
      choice_option("synchronous", R"("full")",
                    "full: every commit is fsynced (survives power loss); normal: survives a crash of the "
                    "broker, not of the machine, and commits faster",
                    "full|normal"),
      option("store_heartbeats", ConfigType::Bool, "true",
             "store every heartbeat too (its session list replaced by the count) for history plots"),
      ranged_option("max_age", ConfigType::Number, "604800",
                    "seconds an event is kept, by its timestamp; 0 = forever", 0),
      ranged_option("max_rows", ConfigType::Int, "1000000", "events and heartbeats kept at most; 0 = no limit", 0),
      ranged_option("max_megabytes", ConfigType::Number, "1024",
                    "database size kept at most (oldest rows go first); 0 = no limit", 0),
      ranged_option("retention_check", ConfigType::Number, "60", "seconds between retention passes", 0.05, 86400),
      ranged_option("max_pending", ConfigType::Int, "100000",
                    "events waiting for the disk at most; beyond, an event is acknowledged without being "
                    "stored (counted as dropped and logged)",
                    100, 10000000),
      ranged_option("max_batch", ConfigType::Int, "5000", "events written per transaction at most", 1, 1000000),
  };
}

}  // namespace hookbroker::history
