// libFuzzer target: HistoryQuery's parsers (hookbroker/history_query.hpp).
// Each input goes in as an HTTP query string and, when it is JSON, as
// get_history's arguments. Either way the parse gives a query within the
// documented limits or a non-empty error, and a query filters an event and
// builds a page without trouble.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "hookbroker/history_query.hpp"
#include "hookbroker/json_input.hpp"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

void use(const hookbroker::HistoryQueryParse& parsed) {
  using hookbroker::HistoryQuery;
  if (!parsed.ok()) {
    check(!parsed.error.empty());
    return;
  }
  const HistoryQuery& q = *parsed.query;
  check(q.limit >= 1 && q.limit <= HistoryQuery::kMaxLimit);
  check(q.types.size() <= HistoryQuery::kMaxTypes);
  check(q.session_id.size() <= HistoryQuery::kMaxText);
  check(!q.from_ms || !q.to_ms || *q.from_ms <= *q.to_ms);
  const nlohmann::json events = nlohmann::json::array(
      {{{"type", "hook"}, {"subtype", "a"}, {"timestamp", "2026-01-17T12:00:00.000Z"}},
       {{"type", "x"}, {"session_id", q.session_id}, {"timestamp", 7}},
       nullptr});
  const auto page = hookbroker::select_history_page(
      q, events.size(), [&](std::size_t i) -> const nlohmann::json& { return events[i]; },
      [](std::size_t i) { return static_cast<std::uint64_t>(i); }, "fuzz");
  check(page["count"].get<std::size_t>() <= q.limit);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  hookbroker::HttpRequest request;
  request.method = "GET";
  request.path = "/api/history";
  request.query = input;
  use(hookbroker::parse_history_query(request));
  const hookbroker::JsonInput json = hookbroker::parse_json_input(input);
  if (json.ok) use(hookbroker::parse_history_query(json.value));
  return 0;
}
