// Helpers shared by the history_sqlite unit tests.
#pragma once

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "history_options.hpp"
#include "hookbroker/config.hpp"

namespace history_test {

inline std::shared_ptr<const nlohmann::json> event(const std::string& id, const std::string& subtype,
                                                   const std::string& session = "",
                                                   const std::string& timestamp = "2026-01-17T12:00:00.000Z") {
  nlohmann::json e = {{"type", "hook"}, {"subtype", subtype}, {"timestamp", timestamp}, {"source", "test"},
                      {"data", {{"n", id}}}};
  if (!id.empty()) e["event_id"] = id;
  if (!session.empty()) e["session_id"] = session;
  return std::make_shared<const nlohmann::json>(std::move(e));
}

/// The table's defaults, at `path`, with retention off unless a test turns it on.
inline hookbroker::history::HistoryOptions options(const std::string& path) {
  using hookbroker::history::HistoryOptions;
  HistoryOptions o = HistoryOptions::from_config(hookbroker::with_defaults(HistoryOptions::table(), {{"path", path}}), "");
  o.retention.max_age = std::chrono::milliseconds(0);
  o.retention.max_rows = 0;
  o.retention.max_bytes = 0;
  o.retention.check_every = std::chrono::hours(1);
  return o;
}

}  // namespace history_test
