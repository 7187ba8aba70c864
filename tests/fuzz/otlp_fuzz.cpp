// What otlp_claude reads from the network: OTLP/HTTP JSON export requests,
// plain or gzip. Invariants: nothing crashes or throws, a refused request
// keeps no records, limits hold, and every record serialises (it goes into
// shared state and broadcasts); what a record means for a session (the
// tracker change) names a usable session and carries no negative, NaN or
// infinite figure.
#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include <cmath>

#include "claude_telemetry.hpp"
#include "gzip_body.hpp"
#include "otlp_requests.hpp"

namespace {

template <class Decoded>
void check(const Decoded& decoded, const hookbroker::otlp::RequestLimits& limits) {
  if (!decoded.ok() && !decoded.records.empty()) __builtin_trap();
  if (decoded.records.size() > limits.max_records) __builtin_trap();
  for (const auto& r : decoded.records) (void)r.attributes.dump();
}

void check(const hookbroker::otlp::Translation& t) {
  using Kind = hookbroker::otlp::Translation::Kind;
  if (t.kind == Kind::Rejected && t.reason.empty()) __builtin_trap();
  if (t.kind != Kind::Change) return;
  const auto& id = t.change.at("session_id").get_ref<const std::string&>();
  if (id.empty() || id.size() > 256) __builtin_trap();
  if (const auto usage = t.change.find("usage"); usage != t.change.end())
    for (const auto& [key, value] : usage->items())
      if (value.is_number() && (!std::isfinite(value.get<double>()) || value.get<double>() < 0)) __builtin_trap();
  (void)t.change.dump();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const bool gzip = data[0] & 1, metrics = data[0] & 2;
  std::string body(reinterpret_cast<const char*>(data + 1), size - 1);
  if (gzip) {
    auto inflated = hookbroker::otlp::gunzip(body, 1 << 20);
    if (inflated.body && inflated.body->size() > (1u << 20)) __builtin_trap();
    if (!inflated.body) return 0;
    body = std::move(*inflated.body);
  }
  const auto json = nlohmann::json::parse(body, nullptr, false);
  if (json.is_discarded()) return 0;
  hookbroker::otlp::RequestLimits limits;
  limits.max_records = 64;
  limits.values.max_array_values = 16;
  limits.values.max_depth = 4;
  if (metrics) {
    const auto decoded = hookbroker::otlp::decode_metrics(json, limits);
    check(decoded, limits);
    hookbroker::otlp::CumulativeDeltas deltas(8);
    for (const auto& point : decoded.records) check(hookbroker::otlp::translate_metric(point, deltas));
  } else {
    const auto decoded = hookbroker::otlp::decode_logs(json, limits);
    check(decoded, limits);
    for (const auto& record : decoded.records) check(hookbroker::otlp::translate_log(record));
  }
  return 0;
}
