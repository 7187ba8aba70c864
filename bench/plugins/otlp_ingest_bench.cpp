// otlp_claude's ingest cost on one core: OTLP/HTTP JSON export requests of
// Claude Code api_request events (as its exporter batches them) read,
// decoded, turned into tracker changes and applied to sessions_memory's
// store — everything the plugin does per request but the socket — plain and
// gzip, in one thread.
//
//   otlp_ingest_bench [requests] [records per request] [sessions]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "claude_telemetry.hpp"
#include "export_body.hpp"
#include "gzip_body.hpp"
#include "otlp_requests.hpp"
#include "session_store.hpp"

namespace {

using nlohmann::json;

json attribute(const std::string& key, json value) { return {{"key", key}, {"value", std::move(value)}}; }

/// One export request as Claude Code's exporter sends it (intValue as strings).
std::string request_body(std::size_t records, std::size_t sessions, std::size_t offset) {
  json list = json::array();
  for (std::size_t i = 0; i < records; ++i) {
    const std::string session = "bench-session-" + std::to_string((offset + i) % sessions);
    list.push_back({{"timeUnixNano", "1764900000000000000"},
                    {"body", {{"stringValue", "claude_code.api_request"}}},
                    {"attributes",
                     {attribute("event.name", {{"stringValue", "api_request"}}),
                      attribute("event.timestamp", {{"stringValue", "2025-12-05T02:00:00.000Z"}}),
                      attribute("session.id", {{"stringValue", session}}),
                      attribute("user.account_uuid", {{"stringValue", "7c1f0000-0000-4000-8000-000000000001"}}),
                      attribute("terminal.type", {{"stringValue", "xterm-256color"}}),
                      attribute("model", {{"stringValue", i % 3 ? "claude-sonnet-4-5-20250929" : "claude-haiku-4-5"}}),
                      attribute("cost_usd", {{"doubleValue", 0.0123}}),
                      attribute("duration_ms", {{"intValue", "2150"}}),
                      attribute("input_tokens", {{"intValue", "1200"}}),
                      attribute("output_tokens", {{"intValue", "350"}}),
                      attribute("cache_read_tokens", {{"intValue", "8000"}}),
                      attribute("cache_creation_tokens", {{"intValue", "400"}}),
                      attribute("query_source", {{"stringValue", "repl_main_thread"}})}}});
  }
  return json{{"resourceLogs",
               {{{"resource", {{"attributes", {attribute("service.name", {{"stringValue", "claude-code"}})}}}},
                 {"scopeLogs", {{{"scope", {{"name", "com.anthropic.claude_code.events"}}}, {"logRecords", list}}}}}}}}
      .dump();
}


hookbroker::sessions::StoreLimits limits() {
  hookbroker::sessions::StoreLimits l;
  l.expire_after = std::chrono::hours(1);
  l.completed_grace = std::chrono::minutes(5);
  l.stale_after = std::chrono::minutes(10);
  l.max_sessions = 10000;
  l.session.max_agents = 32;
  l.session.max_tool_calls = 200;
  return l;
}

struct Run {
  double seconds = 0;
  std::size_t records = 0;
};

Run ingest(const std::string& body, bool gzipped, std::size_t requests) {
  using namespace hookbroker;
  sessions::SessionStore store(limits());
  otlp::RequestLimits request_limits;
  HttpRequest request;
  request.method = "POST";
  request.path = "/v1/logs";
  request.headers = {{"content-type", "application/json"}};
  if (gzipped) request.headers.emplace_back("content-encoding", "gzip");
  request.body = body;
  Run run;
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t r = 0; r < requests; ++r) {
    const otlp::ExportBody read = otlp::read_export_body(request, 4 << 20, "ExportLogsServiceRequest");
    if (!read.json) std::abort();
    const auto decoded = otlp::decode_logs(*read.json, request_limits);
    for (const auto& record : decoded.records) {
      const auto t = otlp::translate_log(record);
      if (t.kind == otlp::Translation::Kind::Change && store.apply(t.change, sessions::Now::current()).applied)
        ++run.records;
    }
  }
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return run;
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t requests = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 2000;
  const std::size_t per_request = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 100;
  const std::size_t sessions = argc > 3 ? std::strtoul(argv[3], nullptr, 10) : 100;
  const std::string plain = request_body(per_request, sessions, 0);
  const std::string packed = hookbroker::otlp::gzip(plain);
  std::printf("otlp_ingest_bench: %zu requests x %zu api_request records over %zu sessions; body %zu bytes, "
              "%zu gzip\n",
              requests, per_request, sessions, plain.size(), packed.size());
  std::printf("%-6s %12s %14s %12s\n", "body", "records", "records/s", "us/record");
  for (const bool gzipped : {false, true}) {
    const Run run = ingest(gzipped ? packed : plain, gzipped, requests);
    std::printf("%-6s %12zu %14.0f %12.2f\n", gzipped ? "gzip" : "plain", run.records, run.records / run.seconds,
                run.seconds * 1e6 / static_cast<double>(run.records));
  }
  return 0;
}
