// OTLP/HTTP JSON export requests (ExportLogsServiceRequest,
// ExportMetricsServiceRequest) read into flat records: each record carries
// its resource's, scope's and own attributes merged (the record's win), so
// consumers look up "session.id" in one place. A record that cannot be read
// is counted as rejected with the first reason (OTLP's partial success); a
// body that is not an export request at all is an error for the whole
// request.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "otlp_values.hpp"

namespace hookbroker::otlp {

struct LogRecord {
  nlohmann::json attributes = nlohmann::json::object();
  nlohmann::json body;       ///< the AnyValue as JSON; null when absent
  std::string event_name;    ///< eventName, else the "event.name" attribute, else a string body
  std::int64_t time_unix_nano = 0;  ///< timeUnixNano, else observedTimeUnixNano; 0 when neither
};

enum class Temporality { Unspecified = 0, Delta = 1, Cumulative = 2 };

/// One number data point of a Sum or Gauge metric.
struct MetricPoint {
  std::string name;
  std::string unit;
  nlohmann::json attributes = nlohmann::json::object();
  double value = 0;
  bool is_sum = false;  ///< a Sum (counter) rather than a Gauge
  bool monotonic = false;
  Temporality temporality = Temporality::Unspecified;
  std::int64_t start_unix_nano = 0;
  std::int64_t time_unix_nano = 0;
};

template <class Record>
struct Decoded {
  std::vector<Record> records;
  std::size_t rejected = 0;    ///< records left out (rejectedLogRecords / rejectedDataPoints)
  std::string rejection;       ///< why the first one was; "" when none was
  std::size_t ignored = 0;     ///< data points of kinds not read (histograms, summaries)
  std::string error;           ///< the whole request is unusable (answer 400); records are empty then
  bool ok() const { return error.empty(); }
};

struct RequestLimits {
  Limits values;
  std::size_t max_records = 10000;  ///< log records or data points per request
};

Decoded<LogRecord> decode_logs(const nlohmann::json& request, const RequestLimits& limits = {});
Decoded<MetricPoint> decode_metrics(const nlohmann::json& request, const RequestLimits& limits = {});

}  // namespace hookbroker::otlp
