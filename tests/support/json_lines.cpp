#include "json_lines.hpp"

#include <ctime>
#include <sstream>
#include <stdexcept>

#include "temp_dir.hpp"

namespace hbtest {

std::vector<nlohmann::json> read_json_lines(const std::string& path) {
  std::vector<nlohmann::json> out;
  std::istringstream in(read_file(path));
  std::string line;
  while (std::getline(in, line)) {
    if (in.eof()) break;  // no newline yet: still being written
    auto parsed = nlohmann::json::parse(line, nullptr, false);
    if (!parsed.is_discarded()) out.push_back(std::move(parsed));
  }
  return out;
}

std::vector<nlohmann::json> broadcasts(const std::string& path, const std::string& channel,
                                       const std::string& subtype) {
  std::vector<nlohmann::json> out;
  for (auto& line : read_json_lines(path)) {
    if (line.value("event", "") != channel) continue;
    if (!subtype.empty() && line["data"].value("subtype", "") != subtype) continue;
    out.push_back(std::move(line["data"]));
  }
  return out;
}

std::chrono::system_clock::time_point parse_iso8601(const std::string& text) {
  std::tm tm{};
  int millis = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                  &tm.tm_min, &tm.tm_sec, &millis) != 7)
    throw std::invalid_argument("not an ISO-8601 UTC timestamp with ms: " + text);
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return std::chrono::system_clock::from_time_t(timegm(&tm)) + std::chrono::milliseconds(millis);
}

}  // namespace hbtest
