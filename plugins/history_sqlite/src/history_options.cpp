#include "history_options.hpp"

#include "hookbroker/config.hpp"

namespace hookbroker::history {
namespace {

std::chrono::milliseconds seconds(const nlohmann::json& c, const char* key) {
  return std::chrono::milliseconds(static_cast<long long>(c.at(key).get<double>() * 1000.0));
}

}  // namespace

HistoryOptions HistoryOptions::from_config(const nlohmann::json& c, const std::string& state_dir) {
  HistoryOptions o;
  o.path = c.at("path").get<std::string>();
  if (o.path.empty()) o.path = (state_dir.empty() ? std::string(".") : state_dir) + "/history.sqlite3";
  o.synchronous_full = c.at("synchronous").get<std::string>() == "full";
  o.store_heartbeats = c.at("store_heartbeats").get<bool>();
  o.max_pending = c.at("max_pending").get<std::size_t>();
  o.max_batch = c.at("max_batch").get<std::size_t>();
  o.retention.max_age = seconds(c, "max_age_s");
  o.retention.max_rows = c.at("max_rows").get<std::int64_t>();
  o.retention.max_bytes = c.at("max_database_bytes").get<std::int64_t>();
  o.retention.check_every = seconds(c, "retention_check_s");
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
      ranged_option("max_batch", ConfigType::Int, "5000", "events written per transaction at most", 1, 1000000),
  };
}

}  // namespace hookbroker::history
