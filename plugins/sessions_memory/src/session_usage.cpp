#include "session_usage.hpp"

#include <cmath>

#include "text_limits.hpp"

namespace hookbroker::sessions {

namespace {

/// Model and agent names are short; a longer one is cut, not refused.
constexpr std::size_t kMaxKeyChars = 128;

std::uint64_t count_at(const nlohmann::json& usage, const char* key) {
  const auto it = usage.find(key);
  if (it == usage.end()) return 0;
  if (it->is_number_unsigned()) return it->get<std::uint64_t>();
  if (it->is_number_integer()) return it->get<std::int64_t>() > 0 ? static_cast<std::uint64_t>(it->get<std::int64_t>()) : 0;
  if (it->is_number_float()) {
    const double d = it->get<double>();
    return std::isfinite(d) && d > 0 && d < 1.8e19 ? static_cast<std::uint64_t>(d) : 0;
  }
  return 0;
}

double dollars_at(const nlohmann::json& usage, const char* key) {
  const auto it = usage.find(key);
  if (it == usage.end() || !it->is_number()) return 0;
  const double d = it->get<double>();
  return std::isfinite(d) && d > 0 ? d : 0;
}

std::string text_at(const nlohmann::json& usage, const char* key) {
  const auto it = usage.find(key);
  if (it == usage.end()) return {};
  if (it->is_string()) return truncate_chars(it->get_ref<const std::string&>(), kMaxKeyChars);
  if (it->is_number_integer()) return std::to_string(it->get<std::int64_t>());
  return {};
}

}  // namespace

UsageTally& UsageTally::operator+=(const UsageTally& other) {
  input_tokens += other.input_tokens;
  output_tokens += other.output_tokens;
  cache_read_tokens += other.cache_read_tokens;
  cache_creation_tokens += other.cache_creation_tokens;
  cost_usd += other.cost_usd;
  api_requests += other.api_requests;
  api_errors += other.api_errors;
  return *this;
}

bool UsageTally::empty() const {
  return input_tokens == 0 && output_tokens == 0 && cache_read_tokens == 0 && cache_creation_tokens == 0 &&
         cost_usd == 0 && api_requests == 0 && api_errors == 0;
}

nlohmann::json UsageTally::to_json() const {
  return {
      {"input_tokens", input_tokens},
      {"output_tokens", output_tokens},
      {"cache_read_tokens", cache_read_tokens},
      {"cache_creation_tokens", cache_creation_tokens},
      {"cost_usd", cost_usd},
      {"api_requests", api_requests},
      {"api_errors", api_errors},
  };
}

void UsageBreakdown::add(const std::string& key, const UsageTally& tally) {
  auto it = by_key.find(key);
  if (it == by_key.end()) {
    // The last place is kept for "other".
    it = by_key.try_emplace(by_key.size() < kMaxKeys - 1 ? key : std::string(kOther)).first;
  }
  it->second += tally;
}

nlohmann::json UsageBreakdown::to_json() const {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [key, tally] : by_key) out[key] = tally.to_json();
  return out;
}

void UsageLedger::add(const std::string& model, const std::string& agent, const UsageTally& tally,
                      const std::string& status) {
  total += tally;
  by_model.add(model.empty() ? "unknown" : model, tally);
  by_agent.add(agent.empty() ? "main" : agent, tally);
  if (tally.api_errors == 0) return;
  const std::string key = status.empty() ? "unknown" : status;
  if (errors_by_status.count(key) == 0 && errors_by_status.size() >= UsageBreakdown::kMaxKeys)
    errors_by_status[UsageBreakdown::kOther] += tally.api_errors;
  else
    errors_by_status[key] += tally.api_errors;
}

bool SessionUsage::apply(const nlohmann::json& usage) {
  if (!usage.is_object()) return false;
  UsageTally tally;
  tally.input_tokens = count_at(usage, "input_tokens");
  tally.output_tokens = count_at(usage, "output_tokens");
  tally.cache_read_tokens = count_at(usage, "cache_read_tokens");
  tally.cache_creation_tokens = count_at(usage, "cache_creation_tokens");
  tally.cost_usd = dollars_at(usage, "cost_usd");
  tally.api_requests = count_at(usage, "api_requests");
  tally.api_errors = count_at(usage, "api_errors");
  const bool logs = text_at(usage, "source") != "metrics";
  if (logs) from_logs = true;
  (logs ? this->logs : metrics).add(text_at(usage, "model"), text_at(usage, "agent"), tally, text_at(usage, "status_code"));
  return true;
}

nlohmann::json SessionUsage::compact_json() const {
  nlohmann::json j = shown().total.to_json();
  j["source"] = from_logs ? "logs" : "metrics";
  return j;
}

nlohmann::json SessionUsage::detail_json() const {
  const UsageLedger& l = shown();
  nlohmann::json j = compact_json();
  j["by_model"] = l.by_model.to_json();
  j["by_agent"] = l.by_agent.to_json();
  j["errors_by_status"] = l.errors_by_status;
  return j;
}

}  // namespace hookbroker::sessions
