// sysmetrics: the broker process's CPU %, RSS, open descriptors and threads,
// and the host's load average, available memory and uptime, read from /proc
// on every heartbeat under data.system_metrics. On by default: a sample costs
// a few microseconds (bench/plugins/sysmetrics_bench).
#include "hookbroker/hookbroker.hpp"
#include "metrics_sampler.hpp"

namespace hookbroker::sysmetrics {

class SysmetricsPlugin final : public Plugin, public HeartbeatContributor {
 public:
  SysmetricsPlugin(HostApi& /*host*/, const nlohmann::json& config)
      : sampler_(config.at("proc_root").get<std::string>()) {}


  nlohmann::json contribute() override { return {{"system_metrics", sampler_.sample()}}; }

 private:
  MetricsSampler sampler_;
};

}  // namespace hookbroker::sysmetrics

HOOKBROKER_PLUGIN(hookbroker::sysmetrics::SysmetricsPlugin, [] {
  hookbroker::PluginInfo info;
  info.name = "sysmetrics";
  info.version = "1.0.0";
  info.description = "Process CPU %, RSS, open fds, threads and host load, memory, uptime from /proc in the heartbeat";
  info.heartbeat_keys = "system_metrics";
  info.options = {
      hookbroker::option("proc_root", hookbroker::ConfigType::String, R"("/proc")",
                         "where procfs is mounted (change only for a container that mounts it elsewhere)"),
  };
  return info;
}())
