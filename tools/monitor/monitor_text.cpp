#include "monitor_text.hpp"

#include <cstdio>
#include <ctime>

#include "hookbroker/time.hpp"

namespace hookbroker::monitor {

std::string clock_time(SystemTime when) {
  const std::time_t t = std::chrono::system_clock::to_time_t(when);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02d:%02d:%02d", tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

std::string clock_time_of(const nlohmann::json& iso, SystemTime fallback) {
  if (iso.is_string())
    if (const auto when = parse_iso8601(iso.get_ref<const std::string&>())) return clock_time(*when);
  return clock_time(fallback);
}

std::string format_uptime(std::int64_t seconds) {
  if (seconds < 0) seconds = 0;
  char buf[48];
  if (seconds < 60) {
    std::snprintf(buf, sizeof buf, "%llds", static_cast<long long>(seconds));
  } else if (seconds < 3600) {
    std::snprintf(buf, sizeof buf, "%lldm%02llds", static_cast<long long>(seconds / 60),
                  static_cast<long long>(seconds % 60));
  } else if (seconds < 86400) {
    std::snprintf(buf, sizeof buf, "%lldh%02lldm", static_cast<long long>(seconds / 3600),
                  static_cast<long long>(seconds % 3600 / 60));
  } else {
    std::snprintf(buf, sizeof buf, "%lldd%02lldh", static_cast<long long>(seconds / 86400),
                  static_cast<long long>(seconds % 86400 / 3600));
  }
  return buf;
}

std::string format_age(const nlohmann::json& iso, SystemTime now) {
  if (!iso.is_string()) return "?";
  const auto when = parse_iso8601(iso.get_ref<const std::string&>());
  if (!when) return "?";
  const auto age = std::chrono::duration_cast<std::chrono::seconds>(now - *when).count();
  if (age < 60) return std::to_string(age < 0 ? 0 : age) + " s ago";
  if (age < 3600) return std::to_string(age / 60) + " min ago";
  if (age < 86400) return std::to_string(age / 3600) + " h ago";
  return std::to_string(age / 86400) + " d ago";
}

std::string short_id(std::string_view id) { return std::string(id.substr(0, 8)); }

std::string text_of(const nlohmann::json& j, const char* key, const std::string& fallback) {
  if (!j.is_object()) return fallback;
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : fallback;
}

}  // namespace hookbroker::monitor
