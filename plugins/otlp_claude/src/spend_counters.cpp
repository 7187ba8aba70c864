#include "spend_counters.hpp"

namespace hookbroker::otlp {

void SpendCounters::add(const std::string& session_id, const nlohmann::json& usage) {
  const bool logs = usage.value("source", "") == "logs";
  if (logs) {
    if (with_logs_.insert(session_id).second) {
      with_logs_order_.push_back(session_id);
      if (with_logs_order_.size() > kMaxSessions) {
        with_logs_.erase(with_logs_order_.front());
        with_logs_order_.pop_front();
      }
    }
  } else if (with_logs_.count(session_id) != 0) {
    return;  // its logs are the source
  }
  cost_usd_ += usage.value("cost_usd", 0.0);
  std::string model = usage.value("model", "");
  if (model.empty()) model = "unknown";
  if (models_seen_.count(model) == 0) {
    if (models_seen_.size() >= kMaxModels) model = "_other";
    else models_seen_.insert(model);
  }
  for (const auto& [field, type] : {std::pair<const char*, const char*>{"input_tokens", "input"},
                                    {"output_tokens", "output"},
                                    {"cache_read_tokens", "cacheRead"},
                                    {"cache_creation_tokens", "cacheCreation"}}) {
    const std::uint64_t n = usage.value(field, std::uint64_t{0});
    if (n != 0) tokens_[{type, model}] += n;
  }
}

nlohmann::json SpendCounters::to_json() const {
  nlohmann::json tokens = nlohmann::json::array();
  for (const auto& [key, count] : tokens_) tokens.push_back({{"type", key.first}, {"model", key.second}, {"count", count}});
  return {{"cost_usd", cost_usd_}, {"tokens", std::move(tokens)}};
}

}  // namespace hookbroker::otlp
