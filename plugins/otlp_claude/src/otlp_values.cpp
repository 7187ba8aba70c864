#include "otlp_values.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace hookbroker::otlp {
namespace {

bool all_digits(std::string_view s) {
  if (!s.empty() && s.front() == '-') s.remove_prefix(1);
  if (s.empty() || s.size() > 19) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

ValueError fail(std::string message) { return ValueError{std::move(message)}; }

}  // namespace

const nlohmann::json* member(const nlohmann::json& object, std::string_view camel, std::string_view snake) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(camel);
  if (it == object.end() && !snake.empty()) it = object.find(snake);
  return it == object.end() || it->is_null() ? nullptr : &*it;
}

std::optional<std::int64_t> read_int64(const nlohmann::json& value) {
  if (value.is_number_integer()) {
    if (value.is_number_unsigned() && value.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))
      return std::nullopt;
    return value.get<std::int64_t>();
  }
  if (value.is_number_float()) {  // 1e3 is a valid JSON spelling of 1000
    const double d = value.get<double>();
    if (!std::isfinite(d) || d != std::floor(d) || std::fabs(d) > 9.2e18) return std::nullopt;
    return static_cast<std::int64_t>(d);
  }
  if (!value.is_string()) return std::nullopt;
  const std::string& text = value.get_ref<const std::string&>();
  if (!all_digits(text)) return std::nullopt;
  errno = 0;
  char* end = nullptr;
  const long long n = std::strtoll(text.c_str(), &end, 10);
  if (errno == ERANGE || end != text.c_str() + text.size()) return std::nullopt;
  return static_cast<std::int64_t>(n);
}

std::optional<double> read_double(const nlohmann::json& value) {
  if (value.is_number()) return value.get<double>();
  if (!value.is_string()) return std::nullopt;
  const std::string& text = value.get_ref<const std::string&>();
  if (text == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (text == "Infinity") return std::numeric_limits<double>::infinity();
  if (text == "-Infinity") return -std::numeric_limits<double>::infinity();
  if (text.empty() || text.size() > 64) return std::nullopt;
  char* end = nullptr;
  errno = 0;
  const double d = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || errno == ERANGE || !std::isfinite(d)) return std::nullopt;
  return d;
}

nlohmann::json read_any_value(const nlohmann::json& any, const Limits& limits, ValueError& error, std::size_t depth) {
  if (!any.is_object()) {
    error = fail("an AnyValue must be an object such as {\"stringValue\": \"…\"}, got " + any.dump().substr(0, 40));
    return nullptr;
  }
  if (const auto* s = member(any, "stringValue", "string_value")) {
    if (!s->is_string()) error = fail("stringValue must be a string");
    else if (s->get_ref<const std::string&>().size() > limits.max_string_bytes)
      error = fail("a stringValue is longer than " + std::to_string(limits.max_string_bytes) + " bytes");
    else return *s;
    return nullptr;
  }
  if (const auto* b = member(any, "boolValue", "bool_value")) {
    if (b->is_boolean()) return *b;
    error = fail("boolValue must be true or false");
    return nullptr;
  }
  if (const auto* i = member(any, "intValue", "int_value")) {
    if (auto n = read_int64(*i)) return *n;
    error = fail("intValue must be a 64-bit integer (a number or its digits in a string), got " + i->dump().substr(0, 40));
    return nullptr;
  }
  if (const auto* d = member(any, "doubleValue", "double_value")) {
    if (auto n = read_double(*d)) return std::isfinite(*n) ? nlohmann::json(*n) : *d;  // "NaN" stays text
    error = fail("doubleValue must be a number, got " + d->dump().substr(0, 40));
    return nullptr;
  }
  if (const auto* bytes = member(any, "bytesValue", "bytes_value")) {
    if (bytes->is_string() && bytes->get_ref<const std::string&>().size() <= limits.max_string_bytes) return *bytes;
    error = fail("bytesValue must be base64 text of at most " + std::to_string(limits.max_string_bytes) + " bytes");
    return nullptr;
  }
  const auto* array = member(any, "arrayValue", "array_value");
  const auto* kvlist = array ? nullptr : member(any, "kvlistValue", "kvlist_value");
  if (!array && !kvlist) return nullptr;  // an empty AnyValue: "no value"
  if (depth >= limits.max_depth) {
    error = fail("arrays and kvlists nest deeper than " + std::to_string(limits.max_depth) + " levels");
    return nullptr;
  }
  const auto* values = member(array ? *array : *kvlist, "values");
  if (values && !values->is_array()) {
    error = fail(std::string(array ? "arrayValue" : "kvlistValue") + ".values must be an array");
    return nullptr;
  }
  if (values && values->size() > limits.max_array_values) {
    error = fail("an " + std::string(array ? "arrayValue" : "kvlistValue") + " holds " +
                 std::to_string(values->size()) + " values; at most " + std::to_string(limits.max_array_values));
    return nullptr;
  }
  nlohmann::json out = array ? nlohmann::json::array() : nlohmann::json::object();
  if (!values) return out;
  for (const auto& v : *values) {
    if (array) {
      out.push_back(read_any_value(v, limits, error, depth + 1));
    } else {
      const auto* key = member(v, "key");
      if (!key || !key->is_string()) {
        error = fail("a kvlistValue entry needs a string key");
        return nullptr;
      }
      const auto* value = member(v, "value");
      out[key->get<std::string>()] = value ? read_any_value(*value, limits, error, depth + 1) : nullptr;
    }
    if (error) return nullptr;
  }
  return out;
}

void add_attributes(const nlohmann::json* attributes, nlohmann::json& out, const Limits& limits, ValueError& error) {
  if (!attributes) return;
  if (!attributes->is_array()) {
    error = fail("attributes must be an array of {\"key\": …, \"value\": {…}}");
    return;
  }
  for (const auto& kv : *attributes) {
    const auto* key = member(kv, "key");
    if (!key || !key->is_string()) {
      error = fail("an attribute needs a string key");
      return;
    }
    const auto* value = member(kv, "value");
    out[key->get<std::string>()] = value ? read_any_value(*value, limits, error) : nullptr;
    if (error) return;
    if (out.size() > limits.max_attributes) {
      error = fail("more than " + std::to_string(limits.max_attributes) + " attributes on one record");
      return;
    }
  }
}

}  // namespace hookbroker::otlp
