// hookbroker SDK — timestamps as the wire uses them.
#pragma once

#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>

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

namespace detail {

inline bool iso_digits(std::string_view s, std::size_t& pos, std::size_t count, int& out) {
  if (pos + count > s.size()) return false;
  int value = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const char c = s[pos + i];
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    value = value * 10 + (c - '0');
  }
  out = value;
  pos += count;
  return true;
}

inline bool iso_expect(std::string_view s, std::size_t& pos, char c) {
  if (pos >= s.size() || s[pos] != c) return false;
  ++pos;
  return true;
}

}  // namespace detail

/// Reads a timestamp back: "YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)", what
/// hookbroker and Python's isoformat() write. A missing zone is taken as UTC.
/// Returns nullopt for anything else, so a sender's odd clock format never
/// throws. Microsecond precision; years 1970..2200 only (the range
/// system_clock's 64-bit nanoseconds hold, and any plausible event time).
inline std::optional<std::chrono::system_clock::time_point> parse_iso8601(std::string_view text) {
  using detail::iso_digits;
  using detail::iso_expect;
  std::size_t pos = 0;
  // Zero-initialized: GCC 12 at -O3 (Release) cannot see that iso_digits sets them.
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!iso_digits(text, pos, 4, year) || !iso_expect(text, pos, '-') || !iso_digits(text, pos, 2, month) ||
      !iso_expect(text, pos, '-') || !iso_digits(text, pos, 2, day))
    return std::nullopt;
  if (pos >= text.size() || (text[pos] != 'T' && text[pos] != ' ')) return std::nullopt;
  ++pos;
  if (!iso_digits(text, pos, 2, hour) || !iso_expect(text, pos, ':') || !iso_digits(text, pos, 2, minute) ||
      !iso_expect(text, pos, ':') || !iso_digits(text, pos, 2, second))
    return std::nullopt;
  if (year < 1970 || year > 2200) return std::nullopt;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60)
    return std::nullopt;

  long micros = 0;  // finer digits than microseconds are ignored
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
      if (digits < 6) micros = micros * 10 + (text[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return std::nullopt;
    for (int d = digits; d < 6; ++d) micros *= 10;
  }

  long offset_seconds = 0;
  if (pos < text.size()) {
    const char zone = text[pos];
    if (zone == 'Z' || zone == 'z') {
      ++pos;
    } else if (zone == '+' || zone == '-') {
      ++pos;
      int oh = 0, om = 0;
      if (!iso_digits(text, pos, 2, oh) || !iso_expect(text, pos, ':') || !iso_digits(text, pos, 2, om))
        return std::nullopt;
      offset_seconds = (oh * 3600L + om * 60L) * (zone == '+' ? 1 : -1);
    } else {
      return std::nullopt;
    }
  }
  if (pos != text.size()) return std::nullopt;

  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  const std::time_t utc = timegm(&tm);
  return std::chrono::system_clock::from_time_t(utc - offset_seconds) + std::chrono::microseconds(micros);
}

}  // namespace hookbroker
