// hookbroker SDK — the plugin base class and HOOKBROKER_PLUGIN, the one macro
// that makes a shared library a hookbroker plugin.
//
//   class MyPlugin : public hookbroker::Plugin, public hookbroker::HeartbeatContributor {
//    public:
//     MyPlugin(hookbroker::HostApi& host, const nlohmann::json& config);
//     hookbroker::HeartbeatContributor* as_heartbeat_contributor() override { return this; }
//     nlohmann::json contribute() override { return {{"my_plugin", {{"answer", 42}}}}; }
//   };
//
//   HOOKBROKER_PLUGIN(MyPlugin, [] {
//     hookbroker::PluginInfo info;
//     info.name = "my_plugin";
//     info.version = "1.0.0";
//     info.description = "Adds the answer to the heartbeat";
//     info.kinds = HOOKBROKER_KIND_HEARTBEAT_CONTRIBUTOR;
//     info.heartbeat_keys = "my_plugin";
//     info.options = {hookbroker::option("answer", hookbroker::ConfigType::Int, "42", "The answer")};
//     return info;
//   }())
//
// The macro exports three extern "C" functions: the manifest (read and checked
// before anything else), create (exceptions are caught and reported, never
// cross the library boundary) and destroy (the object is freed by the library
// that allocated it).
#pragma once

#include <cstddef>
#include <cstring>
#include <exception>
#include <vector>

#include <nlohmann/json.hpp>

#include "hookbroker/abi.hpp"
#include "hookbroker/config.hpp"
#include "hookbroker/event_sink.hpp"
#include "hookbroker/heartbeat_contributor.hpp"
#include "hookbroker/hook_handler.hpp"
#include "hookbroker/host_api.hpp"
#include "hookbroker/manifest.hpp"
#include "hookbroker/session_tracker.hpp"
#include "hookbroker/transport.hpp"

namespace hookbroker {

/// The object a plugin library creates. The core finds what it can do through
/// the manifest's kind bits and these accessors (no dynamic_cast across the
/// library boundary). Every call comes on the plugin's strand.
class Plugin {
 public:
  virtual ~Plugin() = default;

  /// Called once after creation, before any other call. Throwing here reports
  /// the plugin as failed; the broker goes on without it.
  virtual void start() {}
  /// Called once at shutdown, in reverse start order. Cancel timers, close
  /// sockets; do not block for long.
  virtual void stop() {}

  virtual Transport* as_transport() { return nullptr; }
  virtual SessionTracker* as_session_tracker() { return nullptr; }
  virtual HookHandler* as_hook_handler() { return nullptr; }
  virtual HeartbeatContributor* as_heartbeat_contributor() { return nullptr; }
  virtual EventSink* as_event_sink() { return nullptr; }

  /// Every heartbeat after it went out, as clients received it.
  virtual void on_heartbeat(const nlohmann::json& /*heartbeat*/) {}

  // ---- ABI 1.1 (the core calls these only on plugins built against 1.1+) ----
  /// Called once when every plugin has started and events flow everywhere:
  /// handlers, sinks and all transports receive what is ingested from here on.
  /// A plugin that produces events from a source that exists before the
  /// broker (a file to replay, a spool) starts reading it here, not in
  /// start(), or its first events would miss the plugins not started yet.
  virtual void on_broker_started() {}
};

/// What a plugin says about itself; HOOKBROKER_PLUGIN turns it into the manifest.
struct PluginInfo {
  const char* name = "";          ///< unique, [a-z0-9_]+, also the config key
  const char* version = "0.0.0";
  const char* description = "";   ///< one line
  uint32_t kinds = 0;             ///< HOOKBROKER_KIND_* bits (manifest.hpp)
  bool enabled_by_default = true; ///< false: loaded only when config enables it
  std::vector<hookbroker_config_option> options;  ///< config map (config.hpp)
  const char* heartbeat_keys = "";  ///< comma-separated heartbeat `data` keys it owns
};

namespace detail {

inline hookbroker_manifest make_manifest(const PluginInfo& info) {
  hookbroker_manifest m{};
  m.struct_size = sizeof(hookbroker_manifest);
  m.abi_major = HOOKBROKER_ABI_MAJOR;
  m.abi_minor = HOOKBROKER_ABI_MINOR;
  m.name = info.name;
  m.version = info.version;
  m.description = info.description;
  m.kinds = info.kinds;
  m.flags = info.enabled_by_default ? 0u : HOOKBROKER_FLAG_DISABLED_BY_DEFAULT;
  m.options = info.options.empty() ? nullptr : info.options.data();
  m.option_count = static_cast<uint32_t>(info.options.size());
  m.heartbeat_keys = info.heartbeat_keys;
  m.build_compiler = HOOKBROKER_BUILD_COMPILER;
  m.build_cxx11_abi = HOOKBROKER_BUILD_CXX11_ABI;
  m.build_boost_version = HOOKBROKER_BUILD_BOOST_VERSION;
  m.build_json_version = HOOKBROKER_BUILD_JSON_VERSION;
  return m;
}

inline void copy_error(const char* what, char* error, std::size_t error_size) {
  if (error == nullptr || error_size == 0) return;
  std::strncpy(error, what, error_size - 1);
  error[error_size - 1] = '\0';
}

/// Values of hookbroker_plugin_create's `error_kind` out-parameter.
enum : uint32_t { kCreateFailed = 1, kCreateConfigError = 2 };

template <typename PluginClass>
Plugin* create_guarded(HostApi& host, const nlohmann::json& config, char* error,
                       std::size_t error_size, uint32_t* error_kind) noexcept {
  if (error_kind) *error_kind = kCreateFailed;
  try {
    return new PluginClass(host, config);
  } catch (const ConfigError& e) {
    // Caught here, inside the plugin's library: exception types are never
    // matched across the library boundary.
    if (error_kind) *error_kind = kCreateConfigError;
    copy_error(e.what(), error, error_size);
  } catch (const std::exception& e) {
    copy_error(e.what(), error, error_size);
  } catch (...) {
    copy_error("unknown exception", error, error_size);
  }
  return nullptr;
}

}  // namespace detail
}  // namespace hookbroker

#define HOOKBROKER_EXPORT __attribute__((visibility("default")))

/// Makes this library a hookbroker plugin. `PluginClass` must derive from
/// hookbroker::Plugin and be constructible from (HostApi&, const json& config);
/// the rest is an expression yielding a hookbroker::PluginInfo.
#define HOOKBROKER_PLUGIN(PluginClass, ...)                                              \
  extern "C" HOOKBROKER_EXPORT const hookbroker_manifest* hookbroker_plugin_manifest()   \
      noexcept {                                                                         \
    try {                                                                                \
      static const ::hookbroker::PluginInfo hookbroker_info = (__VA_ARGS__);             \
      static const hookbroker_manifest hookbroker_m =                                    \
          ::hookbroker::detail::make_manifest(hookbroker_info);                          \
      return &hookbroker_m;                                                              \
    } catch (...) {                                                                      \
      return nullptr;                                                                    \
    }                                                                                    \
  }                                                                                      \
  extern "C" HOOKBROKER_EXPORT ::hookbroker::Plugin* hookbroker_plugin_create(           \
      ::hookbroker::HostApi* host, const ::nlohmann::json* config, char* error,          \
      std::size_t error_size, uint32_t* error_kind) noexcept {                           \
    return ::hookbroker::detail::create_guarded<PluginClass>(*host, *config, error,      \
                                                             error_size, error_kind);    \
  }                                                                                      \
  extern "C" HOOKBROKER_EXPORT void hookbroker_plugin_destroy(::hookbroker::Plugin* p)   \
      noexcept {                                                                         \
    delete p;                                                                            \
  }
