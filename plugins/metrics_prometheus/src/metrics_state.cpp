#include "metrics_state.hpp"

#include <algorithm>

namespace hookbroker::prometheus {
namespace {

std::string string_at(const nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

Histogram::Histogram(std::vector<double> upper_bounds)
    : bounds_(std::move(upper_bounds)), counts_(bounds_.size() + 1, 0) {}

void Histogram::observe(double value) {
  const auto bucket = std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin();
  ++counts_[static_cast<std::size_t>(bucket)];
  sum_ += value;
  ++count_;
}

std::vector<std::uint64_t> Histogram::cumulative() const {
  std::vector<std::uint64_t> out(counts_.size());
  std::uint64_t running = 0;
  for (std::size_t i = 0; i < counts_.size(); ++i) out[i] = running += counts_[i];
  return out;
}

MetricsState::MetricsState()
    : ticks_({0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5}) {}

void MetricsState::count_event(const nlohmann::json& event) {
  std::pair<std::string, std::string> kind{string_at(event, "type"), string_at(event, "subtype")};
  if (events_.size() >= kMaxEventKinds && !events_.count(kind)) kind = {"_other", "_other"};
  ++events_[kind];
}

void MetricsState::heartbeat_seen(const nlohmann::json& heartbeat, Clock::time_point at) {
  ++heartbeats_;
  if (tick_started_) {
    last_tick_ = std::chrono::duration<double>(at - *tick_started_).count();
    ticks_.observe(*last_tick_);
    tick_started_.reset();
  }
  const auto data = heartbeat.find("data");
  if (data == heartbeat.end() || !data->is_object()) return;
  if (const auto errors = data->find("plugin_errors"); errors != data->end() && errors->is_array()) {
    for (const auto& e : *errors) {
      if (!e.is_object()) continue;
      std::string plugin = string_at(e, "plugin");
      if (errors_.size() >= kMaxPlugins && !errors_.count(plugin)) plugin = "_other";
      ++errors_[plugin];
    }
  }
  last_data_ = nlohmann::json::object();
  for (auto it = data->begin(); it != data->end(); ++it)
    if (it.key() != "active_sessions") last_data_[it.key()] = *it;
}

}  // namespace hookbroker::prometheus
