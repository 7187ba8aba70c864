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

}  // namespace hookbroker::history
