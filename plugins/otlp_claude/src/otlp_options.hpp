// otlp_claude's configuration: the option table the core validates and
// prints (--describe-plugin otlp_claude), and its typed form.
#pragma once

#include <chrono>
#include <cstddef>

#include <nlohmann/json.hpp>

#include "hookbroker/config.hpp"
#include "otlp_requests.hpp"

namespace hookbroker::otlp {

struct OtlpOptions {
  std::size_t max_body_bytes = 0;  ///< on the wire and once inflated
  RequestLimits limits;
  bool traces = true;  ///< POST /v1/traces answered 200 and counted; false: not served (404)
  std::chrono::milliseconds usage_broadcast_interval{};

  /// Reads a complete config object (the core filled in the defaults;
  /// tests: hookbroker::with_defaults(table(), ...)).
  static OtlpOptions from_config(const nlohmann::json& config) {
    OtlpOptions o;
    o.max_body_bytes = config.at("max_body_bytes").get<std::size_t>();
    o.limits.max_records = config.at("max_records_per_request").get<std::size_t>();
    o.limits.values.max_attributes = config.at("max_attributes").get<std::size_t>();
    o.limits.values.max_array_values = config.at("max_array_values").get<std::size_t>();
    o.traces = config.at("traces").get<std::string>() == "accept";
    o.usage_broadcast_interval = std::chrono::milliseconds(config.at("usage_broadcast_interval_ms").get<long>());
    return o;
  }

  static constexpr auto table() {
    return hookbroker::config_table(
        ranged_option("max_body_bytes", ConfigType::Int, "4194304",
                      "largest OTLP request body in bytes, as sent and once gzip is inflated; more -> 413",
                      1024, 1073741824),
        ranged_option("max_records_per_request", ConfigType::Int, "10000",
                      "log records or metric data points one request may carry; more -> 400", 1, 10000000),
        ranged_option("max_attributes", ConfigType::Int, "128",
                      "attributes one record may carry (its resource's and scope's included); a record with "
                      "more is rejected (partialSuccess)",
                      1, 100000),
        ranged_option("max_array_values", ConfigType::Int, "256",
                      "values in one array or kvlist attribute; a record with more is rejected", 1, 1000000),
        choice_option("traces", R"("accept")",
                      "POST /v1/traces: accept (answered 200 and counted, spans are not kept) or refuse (not "
                      "served: 404)",
                      "accept|refuse"),
        ranged_option("usage_broadcast_interval_ms", ConfigType::Int, "1000",
                      "a session's usage update goes to clients at most this often, however many records "
                      "arrive",
                      50, 3600000));
  }
};

}  // namespace hookbroker::otlp
