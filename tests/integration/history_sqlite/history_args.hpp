// Broker arguments that load history_sqlite on a given database file.
#pragma once

#include <string>
#include <vector>

#include "plugin_broker.hpp"

namespace history_it {

inline std::vector<std::string> history_at(const std::string& path) {
  using namespace plugins_it;
  return enable("history_sqlite") + config("history_sqlite", "path", path);
}

}  // namespace history_it
