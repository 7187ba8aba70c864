#include "otlp_requests.hpp"

#include <cmath>
#include <utility>

namespace hookbroker::otlp {
namespace {

struct Shape {
  const char* request;   ///< for messages
  const char* resources; ///< resourceLogs
  const char* resources_snake;
  const char* scopes;    ///< scopeLogs
  const char* scopes_snake;
  const char* items;     ///< logRecords / metrics
  const char* items_snake;
};

constexpr Shape kLogs{"ExportLogsServiceRequest", "resourceLogs", "resource_logs", "scopeLogs", "scope_logs",
                      "logRecords", "log_records"};
constexpr Shape kMetrics{"ExportMetricsServiceRequest", "resourceMetrics", "resource_metrics", "scopeMetrics",
                         "scope_metrics", "metrics", "metrics"};

/// An optional array member: nullptr when absent, error when not an array.
const nlohmann::json* array_member(const nlohmann::json& object, const char* camel, const char* snake,
                                   std::string& error) {
  const auto* value = member(object, camel, snake);
  if (value && !value->is_array()) error = std::string(camel) + " must be an array";
  return value;
}

/// Calls item(attributes of resource and scope merged, item) for every item of
/// the request; stops at the first structural error (the request's shape).
template <class Item>
std::string walk(const nlohmann::json& request, const Shape& shape, const Limits& limits, Item&& item) {
  if (!request.is_object())
    return std::string("the body must be an OTLP ") + shape.request + " object such as {\"" + shape.resources +
           "\": [...]}";
  std::string error;
  const auto* resources = array_member(request, shape.resources, shape.resources_snake, error);
  if (!error.empty()) return error;
  if (!resources) {
    for (const auto& [key, value] : request.items())
      return std::string("not an OTLP ") + shape.request + ": found \"" + key + "\" where \"" + shape.resources +
             "\" was expected";
    return {};  // {} is a valid, empty export request
  }
  for (const auto& resource : *resources) {
    if (!resource.is_object()) return std::string("each of ") + shape.resources + " must be an object";
    nlohmann::json resource_attributes = nlohmann::json::object();
    ValueError bad;
    if (const auto* r = member(resource, "resource")) add_attributes(member(*r, "attributes"), resource_attributes, limits, bad);
    const auto* scopes = array_member(resource, shape.scopes, shape.scopes_snake, error);
    if (!error.empty()) return error;
    if (!scopes) continue;
    for (const auto& scope : *scopes) {
      if (!scope.is_object()) return std::string("each of ") + shape.scopes + " must be an object";
      nlohmann::json attributes = resource_attributes;
      ValueError scope_bad = bad;
      if (const auto* s = member(scope, "scope")) add_attributes(member(*s, "attributes"), attributes, limits, scope_bad);
      const auto* items = array_member(scope, shape.items, shape.items_snake, error);
      if (!error.empty()) return error;
      if (!items) continue;
      for (const auto& one : *items) item(attributes, scope_bad, one);
    }
  }
  return {};
}

template <class Record>
void reject(Decoded<Record>& out, std::size_t count, const std::string& why) {
  out.rejected += count;
  if (out.rejection.empty()) out.rejection = why;
}

std::int64_t nanos(const nlohmann::json& object, const char* camel, const char* snake) {
  const auto* value = member(object, camel, snake);
  if (!value) return 0;
  const auto n = read_int64(*value);
  return n && *n > 0 ? *n : 0;
}

template <class Record>
bool over_limit(Decoded<Record>& out, const RequestLimits& limits) {
  if (out.records.size() + out.rejected < limits.max_records) return false;
  out.records.clear();
  out.error = "more than " + std::to_string(limits.max_records) +
              " records in one request; export in smaller batches (OTEL_BLRP_MAX_EXPORT_BATCH_SIZE)";
  return true;
}

}  // namespace

Decoded<LogRecord> decode_logs(const nlohmann::json& request, const RequestLimits& limits) {
  Decoded<LogRecord> out;
  const std::string shape_error = walk(request, kLogs, limits.values, [&](const nlohmann::json& attributes, const ValueError& inherited,
                                                       const nlohmann::json& item) {
    if (!out.error.empty() || over_limit(out, limits)) return;
    if (inherited) return reject(out, 1, inherited.message);
    if (!item.is_object()) return reject(out, 1, "a log record must be an object");
    LogRecord record;
    record.attributes = attributes;
    ValueError bad;
    add_attributes(member(item, "attributes"), record.attributes, limits.values, bad);
    if (const auto* body = member(item, "body"); body && !bad) record.body = read_any_value(*body, limits.values, bad);
    if (bad) return reject(out, 1, bad.message);
    if (const auto* name = member(item, "eventName", "event_name"); name && name->is_string())
      record.event_name = name->get<std::string>();
    if (record.event_name.empty()) {
      const auto it = record.attributes.find("event.name");
      if (it != record.attributes.end() && it->is_string()) record.event_name = it->get<std::string>();
      else if (record.body.is_string()) record.event_name = record.body.get<std::string>();
    }
    record.time_unix_nano = nanos(item, "timeUnixNano", "time_unix_nano");
    if (!record.time_unix_nano) record.time_unix_nano = nanos(item, "observedTimeUnixNano", "observed_time_unix_nano");
    out.records.push_back(std::move(record));
  });
  if (!shape_error.empty()) out.error = shape_error;
  if (!out.error.empty()) out.records.clear();
  return out;
}

Decoded<MetricPoint> decode_metrics(const nlohmann::json& request, const RequestLimits& limits) {
  Decoded<MetricPoint> out;
  const std::string shape_error = walk(request, kMetrics, limits.values, [&](const nlohmann::json& attributes,
                                                         const ValueError& inherited, const nlohmann::json& metric) {
    if (!out.error.empty()) return;
    if (!metric.is_object()) return reject(out, 1, "a metric must be an object");
    const auto* name = member(metric, "name");
    const auto* sum = member(metric, "sum");
    const auto* gauge = sum ? nullptr : member(metric, "gauge");
    if (!sum && !gauge) {
      ++out.ignored;  // histograms, summaries: Claude Code sends none
      return;
    }
    const nlohmann::json& data = sum ? *sum : *gauge;
    const auto* points = member(data, "dataPoints", "data_points");
    if (!points) return;
    if (!points->is_array()) return reject(out, 1, "dataPoints must be an array");
    if (!name || !name->is_string() || name->get_ref<const std::string&>().empty())
      return reject(out, points->size(), "a metric needs a name");
    for (const auto& point : *points) {
      if (over_limit(out, limits)) return;
      if (inherited) {
        reject(out, 1, inherited.message);
        continue;
      }
      MetricPoint p;
      p.name = name->get<std::string>();
      if (const auto* unit = member(metric, "unit"); unit && unit->is_string()) p.unit = unit->get<std::string>();
      p.is_sum = sum != nullptr;
      if (sum) {
        const auto* monotonic = member(data, "isMonotonic", "is_monotonic");
        p.monotonic = monotonic && monotonic->is_boolean() && monotonic->get<bool>();
        const auto* temporality = member(data, "aggregationTemporality", "aggregation_temporality");
        const auto t = temporality ? read_int64(*temporality) : std::optional<std::int64_t>(0);
        if (!t || *t < 0 || *t > 2) {
          reject(out, 1, "aggregationTemporality must be 0, 1 (delta) or 2 (cumulative)");
          continue;
        }
        p.temporality = static_cast<Temporality>(*t);
      }
      p.attributes = attributes;
      ValueError bad;
      add_attributes(member(point, "attributes"), p.attributes, limits.values, bad);
      if (bad) {
        reject(out, 1, bad.message);
        continue;
      }
      std::optional<double> value;
      if (const auto* d = member(point, "asDouble", "as_double")) value = read_double(*d);
      else if (const auto* i = member(point, "asInt", "as_int")) {
        if (const auto n = read_int64(*i)) value = static_cast<double>(*n);
      }
      if (!value || !std::isfinite(*value)) {
        reject(out, 1, "metric " + p.name + ": a data point needs a finite asDouble or asInt");
        continue;
      }
      p.value = *value;
      p.start_unix_nano = nanos(point, "startTimeUnixNano", "start_time_unix_nano");
      p.time_unix_nano = nanos(point, "timeUnixNano", "time_unix_nano");
      out.records.push_back(std::move(p));
    }
  });
  if (!shape_error.empty()) out.error = shape_error;
  if (!out.error.empty()) out.records.clear();
  return out;
}

}  // namespace hookbroker::otlp
