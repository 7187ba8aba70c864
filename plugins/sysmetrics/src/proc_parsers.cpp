#include "proc_parsers.hpp"

#include <cstdlib>
#include <string>

namespace hookbroker::sysmetrics {
namespace {

/// Reads one unsigned decimal at `pos`, skipping leading blanks.
bool next_uint(std::string_view text, std::size_t& pos, std::uint64_t& out) {
  while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t')) ++pos;
  if (pos >= text.size() || text[pos] < '0' || text[pos] > '9') return false;
  std::uint64_t value = 0;
  while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') value = value * 10 + (text[pos++] - '0');
  out = value;
  return true;
}

/// Skips one blank-separated token (a field sysmetrics does not use; some,
/// like the state letter, are not numbers).
bool skip_token(std::string_view text, std::size_t& pos) {
  while (pos < text.size() && text[pos] == ' ') ++pos;
  if (pos >= text.size()) return false;
  while (pos < text.size() && text[pos] != ' ' && text[pos] != '\n') ++pos;
  return true;
}

/// The value in kB of a "Key:   123 kB" line of /proc/meminfo.
std::optional<std::uint64_t> meminfo_kb(std::string_view text, std::string_view key) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t end = std::min(text.find('\n', pos), text.size());
    const std::string_view line = text.substr(pos, end - pos);
    if (line.size() > key.size() && line.compare(0, key.size(), key) == 0 && line[key.size()] == ':') {
      std::size_t at = key.size() + 1;
      std::uint64_t kb = 0;
      if (next_uint(line, at, kb)) return kb;
      return std::nullopt;
    }
    pos = end + 1;
  }
  return std::nullopt;
}

std::optional<double> leading_double(std::string_view text, std::size_t& pos) {
  // strtod needs a terminated string; /proc numbers are short.
  while (pos < text.size() && text[pos] == ' ') ++pos;
  const std::size_t start = pos;
  while (pos < text.size() && text[pos] != ' ' && text[pos] != '\n') ++pos;
  if (pos == start || pos - start > 32) return std::nullopt;
  const std::string token(text.substr(start, pos - start));
  char* end = nullptr;
  const double value = std::strtod(token.c_str(), &end);
  if (end != token.c_str() + token.size()) return std::nullopt;
  return value;
}

}  // namespace

std::optional<ProcessStat> parse_process_stat(std::string_view text) {
  const std::size_t close = text.rfind(')');
  if (close == std::string_view::npos) return std::nullopt;
  std::size_t pos = close + 1;
  // After ')' comes field 3 (state). Walk fields 3..24 and keep the ones we use.
  ProcessStat s;
  for (int field = 3; field <= 24; ++field) {
    switch (field) {
      case 14: if (!next_uint(text, pos, s.utime_ticks)) return std::nullopt; break;
      case 15: if (!next_uint(text, pos, s.stime_ticks)) return std::nullopt; break;
      case 20: if (!next_uint(text, pos, s.threads)) return std::nullopt; break;
      case 22: if (!next_uint(text, pos, s.start_ticks)) return std::nullopt; break;
      case 24: if (!next_uint(text, pos, s.rss_pages)) return std::nullopt; break;
      default:
        // Fields 4..13 include signed values (-1 for no tty); skip them as text.
        if (!skip_token(text, pos)) return std::nullopt;
    }
  }
  return s;
}

std::optional<MemInfo> parse_meminfo(std::string_view text) {
  const auto total = meminfo_kb(text, "MemTotal");
  const auto available = meminfo_kb(text, "MemAvailable");
  if (!total || !available) return std::nullopt;
  return MemInfo{*total * 1024, *available * 1024};
}

std::optional<LoadAverage> parse_loadavg(std::string_view text) {
  std::size_t pos = 0;
  const auto one = leading_double(text, pos);
  const auto five = leading_double(text, pos);
  const auto fifteen = leading_double(text, pos);
  if (!one || !five || !fifteen) return std::nullopt;
  return LoadAverage{*one, *five, *fifteen};
}

std::optional<double> parse_uptime(std::string_view text) {
  std::size_t pos = 0;
  return leading_double(text, pos);
}

}  // namespace hookbroker::sysmetrics
