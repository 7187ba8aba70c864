// hostinfo: a heartbeat contributor that tells which machine and process the
// broker runs as. It adds, under its own key:
//   "hostinfo": {"hostname": "...", "pid": 1234, "label": "..."}
#include <unistd.h>

#include <climits>
#include <string>

#include <hookbroker/hookbroker.hpp>

namespace {

class HostInfo final : public hookbroker::Plugin, public hookbroker::HeartbeatContributor {
 public:
  // `config` is already validated against the option table below, with
  // defaults filled in, so .at() cannot fail here.
  HostInfo(hookbroker::HostApi& host, const nlohmann::json& config)
      : host_(host), label_(config.at("label").get<std::string>()) {
    char name[HOST_NAME_MAX + 1] = {0};
    if (::gethostname(name, sizeof name - 1) == 0) hostname_ = name;
  }

  void start() override { host_.info("reporting host " + hostname_ + " in every heartbeat"); }


  // Runs on this plugin's strand once per heartbeat, under a deadline: keep it
  // quick (read cached values, never do I/O that can hang).
  nlohmann::json contribute() override {
    nlohmann::json info = {{"hostname", hostname_}, {"pid", static_cast<long>(::getpid())}};
    if (!label_.empty()) info["label"] = label_;
    return {{"hostinfo", info}};
  }

 private:
  hookbroker::HostApi& host_;
  std::string label_;
  std::string hostname_ = "unknown";
};

}  // namespace

HOOKBROKER_PLUGIN(HostInfo, [] {
  hookbroker::PluginInfo info;
  info.name = "hostinfo";
  info.version = "1.0.0";
  info.description = "Adds the broker's hostname and pid to every heartbeat";
  info.heartbeat_keys = "hostinfo";
  info.options = {
      hookbroker::option("label", hookbroker::ConfigType::String, R"("")",
                         "Free text shown with the host, e.g. \"laptop\" or \"ci-runner\""),
  };
  return info;
}())
