// What a session spent: tokens, dollars, API requests and errors, in total,
// per model and per agent, from the agent's own telemetry (the `usage` key
// of SessionTracker::apply's vocabulary; otlp_claude sends it).
//
// Claude Code reports the same spend twice, as log events (one per API
// request) and as metrics (cost and token counters). The two are kept apart
// and never added: a session with any request from the logs shows the logs,
// one that only sends metrics shows the metrics. So the figures are exact
// whichever arrives first, and whatever the exporter is told to send.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

namespace hookbroker::sessions {

/// One sum of spend.
struct UsageTally {
  std::uint64_t input_tokens = 0;
  std::uint64_t output_tokens = 0;
  std::uint64_t cache_read_tokens = 0;
  std::uint64_t cache_creation_tokens = 0;
  double cost_usd = 0;
  std::uint64_t api_requests = 0;
  std::uint64_t api_errors = 0;

  UsageTally& operator+=(const UsageTally& other);
  bool empty() const;
  nlohmann::json to_json() const;
};

/// Spend split by one key (a model, an agent), bounded: keys past the bound
/// are added up under "other", so a sender cannot grow a session's memory.
struct UsageBreakdown {
  static constexpr std::size_t kMaxKeys = 16;
  static constexpr const char* kOther = "other";
  std::map<std::string, UsageTally> by_key;

  void add(const std::string& key, const UsageTally& tally);
  nlohmann::json to_json() const;
};

/// The spend one source (logs or metrics) reported for a session.
struct UsageLedger {
  UsageTally total;
  UsageBreakdown by_model;
  UsageBreakdown by_agent;
  /// api_errors by HTTP status code ("429", "529", "unknown"), bounded like the breakdowns.
  std::map<std::string, std::uint64_t> errors_by_status;

  void add(const std::string& model, const std::string& agent, const UsageTally& tally, const std::string& status);
};

struct SessionUsage {
  UsageLedger logs;
  UsageLedger metrics;
  bool from_logs = false;  ///< an api_request or api_error arrived from the logs

  /// The ledger shown: the logs once any arrived, the metrics before.
  const UsageLedger& shown() const { return from_logs ? logs : metrics; }
  bool empty() const { return logs.total.empty() && metrics.total.empty(); }

  /// Applies one `usage` change (session_tracker.hpp); false when it is not
  /// one (nothing changed). Bad numbers (negative, not finite, not numbers)
  /// are the sender's to refuse; here they are skipped.
  bool apply(const nlohmann::json& usage);

  /// The totals shown, plus "source": "logs" | "metrics": what lists carry.
  nlohmann::json compact_json() const;
  /// compact_json() plus by_model, by_agent and errors_by_status.
  nlohmann::json detail_json() const;
};

}  // namespace hookbroker::sessions
