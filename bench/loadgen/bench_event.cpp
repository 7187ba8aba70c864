#include "bench_event.hpp"

#include <charconv>
#include <chrono>
#include <cstdio>

namespace loadgen {
namespace {

constexpr std::string_view kClaudeEventPrefix = "42[\"claude_event\",";

// The three marks sit together in the frame (both peers keep them adjacent:
// insertion order or sorted keys), so the search for the second and third
// starts where the first was found.
std::optional<std::uint64_t> integer_after(std::string_view frame, std::string_view key) {
  const auto at = frame.find(key);
  if (at == std::string_view::npos) return std::nullopt;
  const char* first = frame.data() + at + key.size();
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(first, frame.data() + frame.size(), value);
  if (ec != std::errc() || end == first) return std::nullopt;
  return value;
}

}  // namespace

std::string make_bench_event(const BenchMarks& marks, unsigned sessions) {
  char buffer[640];
  const int n = std::snprintf(
      buffer, sizeof buffer,
      "{\"hook_event_name\":\"PreToolUse\",\"session_id\":\"bench-session-%llu\","
      "\"transcript_path\":\"/home/dev/.claude/projects/bench/transcript.jsonl\","
      "\"cwd\":\"/home/dev/project\",\"permission_mode\":\"default\",\"tool_name\":\"Bash\","
      "\"tool_input\":{\"command\":\"ls -la src\",\"description\":\"List the source files\"},"
      "\"bench_run\":%llu,\"bench_seq\":%llu,\"bench_sent_ns\":%llu}",
      static_cast<unsigned long long>(marks.seq % (sessions ? sessions : 1)),
      static_cast<unsigned long long>(marks.run), static_cast<unsigned long long>(marks.seq),
      static_cast<unsigned long long>(marks.sent_ns));
  return std::string(buffer, static_cast<std::size_t>(n));
}

std::optional<BenchMarks> read_bench_marks(std::string_view frame) {
  if (frame.compare(0, kClaudeEventPrefix.size(), kClaudeEventPrefix) != 0) return std::nullopt;
  const auto marks_at = frame.rfind("\"bench_run\":");
  if (marks_at == std::string_view::npos) return std::nullopt;
  frame.remove_prefix(marks_at);
  const auto run = integer_after(frame, "\"bench_run\":");
  const auto seq = integer_after(frame, "\"bench_seq\":");
  const auto sent = integer_after(frame, "\"bench_sent_ns\":");
  if (!run || !seq || !sent) return std::nullopt;
  return BenchMarks{*run, *seq, *sent};
}

std::uint64_t now_ns() {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                        std::chrono::steady_clock::now().time_since_epoch())
                                        .count());
}

}  // namespace loadgen
