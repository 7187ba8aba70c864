// OTLP/JSON values (the protobuf JSON mapping of opentelemetry-proto's
// common.proto) as nlohmann::json: AnyValue, KeyValue lists, 64-bit numbers.
// Exporters differ in what they send — intValue as a JSON string (proto3
// JSON) or a number, doubleValue as a number or "NaN"/"Infinity", field
// names in lowerCamelCase or the proto's snake_case — and every form a
// conforming exporter sends is read. Pure functions; bounded by Limits.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace hookbroker::otlp {

/// What one record may carry; past them the record (not the request) is refused.
struct Limits {
  std::size_t max_attributes = 128;     ///< per record, resource and scope included
  std::size_t max_array_values = 256;   ///< in one arrayValue / kvlistValue
  std::size_t max_depth = 8;            ///< arrays and kvlists inside each other
  std::size_t max_string_bytes = 65536; ///< one stringValue / bytesValue
};

/// Why a value could not be read; empty when it could.
struct ValueError {
  std::string message;
  explicit operator bool() const { return !message.empty(); }
};

/// The member `camel` (or its snake_case spelling `snake`) of `object`, or
/// nullptr. OTLP/JSON senders use lowerCamelCase; protobuf JSON parsers
/// accept the original names too, so receivers must.
const nlohmann::json* member(const nlohmann::json& object, std::string_view camel, std::string_view snake = {});

/// A 64-bit integer as proto3 JSON gives it: a number or its decimal digits
/// in a string. nullopt for anything else (a fraction, text, out of range).
std::optional<std::int64_t> read_int64(const nlohmann::json& value);

/// A double as proto3 JSON gives it: a number, its text, or "NaN",
/// "Infinity", "-Infinity". nullopt for anything else.
std::optional<double> read_double(const nlohmann::json& value);

/// An AnyValue as plain JSON: string, bool, integer, double, array, object
/// (kvlist), bytes as their base64 text; an empty AnyValue is null.
nlohmann::json read_any_value(const nlohmann::json& any, const Limits& limits, ValueError& error,
                              std::size_t depth = 0);

/// Adds a KeyValue array (`attributes`) to `out` (an object); a later key
/// replaces an earlier one, as in the OpenTelemetry data model.
void add_attributes(const nlohmann::json* attributes, nlohmann::json& out, const Limits& limits, ValueError& error);

}  // namespace hookbroker::otlp
