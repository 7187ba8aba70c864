// What otlp_claude reads from the network: OTLP/HTTP JSON export requests,
// plain or gzip. Invariants: nothing crashes or throws, a refused request
// keeps no records, limits hold, and every record serialises (it goes into
// shared state and broadcasts).
#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "gzip_body.hpp"
#include "otlp_requests.hpp"

namespace {

template <class Decoded>
void check(const Decoded& decoded, const hookbroker::otlp::RequestLimits& limits) {
  if (!decoded.ok() && !decoded.records.empty()) __builtin_trap();
  if (decoded.records.size() > limits.max_records) __builtin_trap();
  for (const auto& r : decoded.records) (void)r.attributes.dump();
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
  if (metrics)
    check(hookbroker::otlp::decode_metrics(json, limits), limits);
  else
    check(hookbroker::otlp::decode_logs(json, limits), limits);
  return 0;
}
