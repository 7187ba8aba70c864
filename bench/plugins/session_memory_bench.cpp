// session_memory_bench: what sessions_memory keeps, in memory, at its bounds.
// 10,000 sessions (max_sessions' default), each with a background subagent
// and 200 finished tool calls (max_tool_calls' default), built in-process
// through SessionStore::apply from the changes hooks_claude sends for a
// modern session (docs/hooks.md). Heap bytes are glibc's own count of bytes
// in use (mallinfo2), taken before and after, so the figure is what the store
// holds rather than what the allocator keeps around; RSS is printed beside it.
// Then the costs that grow with it: one heartbeat listing (100 sessions), the
// summary, and one session's detail (GET /api/sessions/{id}).
//
// No peer: the system hookbroker replaces (and bench/peers/node-broker)
// keeps neither agents nor tool calls.
//
//   build/bin/session_memory_bench [sessions=10000] [tool_calls=200]
#include <malloc.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "session_store.hpp"
#include "tracker_options.hpp"

using hookbroker::sessions::Now;
using hookbroker::sessions::SessionStore;
using hookbroker::sessions::StoreLimits;
using hookbroker::sessions::TrackerOptions;
using nlohmann::json;

namespace {

std::size_t heap_in_use() { return mallinfo2().uordblks; }

std::size_t rss_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::size_t pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
}

double mib(std::size_t bytes) { return static_cast<double>(bytes) / (1024.0 * 1024.0); }

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

/// Ids shaped like Claude Code's: a UUID session, a 16-hex agent, "toolu_01" + 22 characters.
std::string session_id(std::size_t i) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "9d2b7c4e-1a3f-4b6d-8e0f-%012zx", i);
  return buf;
}
std::string agent_id(std::size_t i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "a%015zx", i);
  return buf;
}
std::string tool_use_id(std::size_t session, std::size_t call) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "toolu_01Vb8kQz%08zx%08zx", session, call);
  return buf;
}

const char* const kTools[] = {"Read", "Grep", "Bash", "Edit", "Glob", "mcp__github__search_repositories"};

}  // namespace

int main(int argc, char** argv) {
  const std::size_t sessions = argc > 1 ? std::stoul(argv[1]) : 10000;
  const std::size_t calls = argc > 2 ? std::stoul(argv[2]) : 200;
  StoreLimits limits = TrackerOptions::from_config(hookbroker::with_defaults(TrackerOptions::table())).limits;
  limits.max_sessions = std::max(limits.max_sessions, sessions);
  limits.session.max_tool_calls = std::max(limits.session.max_tool_calls, calls);
  const std::string prompt(120, 'p');
  const std::string message(300, 'm');
  const std::string error = "Exit code 1\nFAIL src/checkout/total.test.ts";

  const std::size_t heap0 = heap_in_use(), rss0 = rss_bytes();
  SessionStore store(limits);
  auto apply = [&](json change) { store.apply(change, Now::current()); };

  // Each session: started, a prompt, a background subagent launched and
  // started, the main turn over with its last message.
  auto t0 = std::chrono::steady_clock::now();
  for (std::size_t s = 0; s < sessions; ++s) {
    const std::string id = session_id(s), agent = agent_id(s), launch = tool_use_id(s, 999999);
    apply({{"session_id", id}, {"lifecycle", "start"}, {"cwd", "/home/dev/src/webshop"}, {"permission_mode", "default"},
           {"facts", {{"model", "claude-opus-5"}, {"start_source", "startup"}}}, {"activity", "waiting_for_input"}});
    apply({{"session_id", id}, {"lifecycle", "resume"}, {"prompt", prompt}, {"facts", {{"title", "checkout-discount"}}},
           {"activity", "working"}});
    apply({{"session_id", id}, {"tool", {{"phase", "start"}, {"tool_use_id", launch}, {"tool_name", "Agent"}}},
           {"launch", {{"tool_use_id", launch}, {"agent_type", "Explore"}}}, {"activity", "working"}});
    apply({{"session_id", id}, {"agent_id", agent}, {"agent_type", "Explore"}, {"subagent", "started"}, {"activity", "working"}});
    apply({{"session_id", id},
           {"tool", {{"phase", "end"}, {"tool_use_id", launch}, {"tool_name", "Agent"}, {"outcome", "ok"}, {"duration_ms", 41}}},
           {"launch_result", {{"tool_use_id", launch}, {"agent_id", agent}, {"status", "async_launched"},
                              {"resolved_model", "claude-sonnet-5"}}}});
    apply({{"session_id", id}, {"message", message}, {"activity", "waiting_for_input"}, {"turn_ended", true}});
  }
  const double build_ms = ms_since(t0);
  const std::size_t heap1 = heap_in_use(), rss1 = rss_bytes();

  // Then `calls` tool calls each, every other one inside the subagent, one in
  // ten failing with a two-line error.
  t0 = std::chrono::steady_clock::now();
  std::size_t changes = 0;
  for (std::size_t s = 0; s < sessions; ++s) {
    const std::string id = session_id(s), agent = agent_id(s);
    for (std::size_t c = 0; c < calls; ++c) {
      const std::string call = tool_use_id(s, c);
      json start = {{"session_id", id}, {"tool", {{"phase", "start"}, {"tool_use_id", call}, {"tool_name", kTools[c % 6]}}},
                    {"activity", "working"}};
      json end = {{"session_id", id},
                  {"tool", {{"phase", "end"}, {"tool_use_id", call}, {"tool_name", kTools[c % 6]},
                            {"outcome", c % 10 == 9 ? "failed" : "ok"}, {"duration_ms", 20 + c}}},
                  {"activity", "working"}};
      if (c % 10 == 9) end["tool"]["error"] = error;
      if (c % 2 == 1) {
        start["agent_id"] = end["agent_id"] = agent;
        start["agent_type"] = end["agent_type"] = "Explore";
      }
      apply(std::move(start));
      apply(std::move(end));
      changes += 2;
    }
  }
  const double calls_ms = ms_since(t0);
  const std::size_t heap2 = heap_in_use(), rss2 = rss_bytes();

  // What grows with it, per call (ms).
  t0 = std::chrono::steady_clock::now();
  std::size_t listed = 0;
  for (int i = 0; i < 100; ++i) listed += store.list(100).size();
  const double list_ms = ms_since(t0) / 100;
  const json listing = store.list(100);
  t0 = std::chrono::steady_clock::now();
  std::size_t listing_bytes = 0;
  for (int i = 0; i < 100; ++i) listing_bytes = listing.dump().size();
  const double dump_ms = ms_since(t0) / 100;
  t0 = std::chrono::steady_clock::now();
  const auto summary = store.summary();
  const double summary_ms = ms_since(t0);
  t0 = std::chrono::steady_clock::now();
  std::size_t detail_bytes = 0;
  for (int i = 0; i < 20; ++i) detail_bytes = store.find(session_id(static_cast<std::size_t>(i))).dump().size();
  const double detail_ms = ms_since(t0) / 20;
  const json one = store.find(session_id(0));

  const std::size_t per_session = (heap1 - heap0) / sessions;
  const double per_call = static_cast<double>(heap2 - heap1) / static_cast<double>(sessions * calls);
  std::printf("sessions_memory at its bounds: %zu sessions x %zu finished tool calls (+1 subagent each)\n", sessions, calls);
  std::printf("  heap in use (mallinfo2)       %8.1f MiB total: %zu bytes per session without calls, %.1f bytes per tool call\n",
              mib(heap2 - heap0), per_session, per_call);
  std::printf("  process RSS                   %8.1f MiB (+%.1f MiB for the sessions, +%.1f MiB for the calls)\n", mib(rss2),
              mib(rss1 - rss0), mib(rss2 - rss1));
  std::printf("  formula: max_sessions x (%zu + max_tool_calls x %.0f) bytes; defaults (10,000 x 200): %.0f MiB\n",
              per_session, per_call, mib(static_cast<std::size_t>(10000.0 * (static_cast<double>(per_session) + 200 * per_call))));
  std::printf("  building: %.0f ms for the sessions, %.0f ms for %zu tool-call changes (%.2f us per change)\n", build_ms,
              calls_ms, changes, calls_ms * 1000.0 / static_cast<double>(changes));
  std::printf("  heartbeat listing of 100 sessions %.3f ms, serialised %.3f ms (%zu bytes); summary over all %.3f ms "
              "(counted again after changes)\n",
              list_ms, dump_ms, listing_bytes, summary_ms);
  std::printf("  one session's detail (GET /api/sessions/{id}): %.3f ms, %zu bytes of JSON\n", detail_ms, detail_bytes);
  std::printf("  check: %zu sessions, %zu kept finished calls in session 0 (max %zu), %zu dropped, %zu running in the background\n",
              summary.total, one["tools"]["recent"].size(), limits.session.max_tool_calls,
              one["tools"]["dropped"].get<std::size_t>(), summary.background_running);
  std::printf("  peer: none (the Python system and bench/peers/node-broker keep no agents or tool calls)\n");
  return listed > 0 && summary.total == sessions ? 0 : 1;
}
