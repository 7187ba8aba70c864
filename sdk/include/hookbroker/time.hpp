// hookbroker SDK — timestamps as the wire uses them.
#pragma once

#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>

namespace hookbroker {

/// UTC ISO-8601 with milliseconds and a Z, e.g. "2026-11-25T10:42:48.123Z":
/// the format of every `timestamp` the broker sends.
inline std::string iso8601_utc(std::chrono::system_clock::time_point when) {
  const auto since_epoch = when.time_since_epoch();
  const auto secs = std::chrono::duration_cast<std::chrono::seconds>(since_epoch);
  auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch - secs).count();
  std::time_t t = static_cast<std::time_t>(secs.count());
  if (millis < 0) {  // before 1970: keep the fraction positive
    millis += 1000;
    t -= 1;
  }
  std::tm tm{};
  gmtime_r(&t, &tm);
  // Room for any int fields, not just plausible dates: GCC's format-truncation
  // check (an error under -Werror) sizes the output from the types.
  char buf[80];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(millis));
  return buf;
}

inline std::string now_iso8601_utc() { return iso8601_utc(std::chrono::system_clock::now()); }

}  // namespace hookbroker
