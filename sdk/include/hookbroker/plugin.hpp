// hookbroker SDK — the plugin base class and HOOKBROKER_PLUGIN, the one macro
// that makes a shared library a hookbroker plugin.
//
//   class MyPlugin : public hookbroker::Plugin, public hookbroker::HeartbeatContributor {
//    public:
//     MyPlugin(hookbroker::HostApi& host, const nlohmann::json& config);
//     nlohmann::json contribute() override { return {{"my_plugin", {{"answer", 42}}}}; }
//   };
//
//   HOOKBROKER_PLUGIN(MyPlugin, [] {
//     hookbroker::PluginInfo info;
//     info.name = "my_plugin";
//     info.version = "1.0.0";
//     info.description = "Adds the answer to the heartbeat";
//     info.heartbeat_keys = "my_plugin";
//     info.options = {hookbroker::option("answer", hookbroker::ConfigType::Int, "42", "The answer")};
//     return info;
//   }())
//
// What a plugin can do follows from the interfaces its class derives from
// (Transport, SessionTracker, HookHandler, HeartbeatContributor, EventSink):
// the macro derives the manifest's kind bits from them at compile time and
// hands the core the matching interface pointers, so the two cannot disagree.
//
// The macro defines the three extern "C" entry points declared at the end of
// this file: the manifest (read and checked before anything else), create
// (exceptions are caught and reported, never cross the library boundary) and
// destroy (the object is freed by the library that allocated it).
#pragma once

#include <cstddef>
#include <cstring>
#include <exception>
#include <type_traits>
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

/// The object a plugin library creates. Every call comes on the plugin's
/// strand. A plugin class also derives from the interfaces of what it does
/// (see the example above); HOOKBROKER_PLUGIN finds them at compile time.
class Plugin {
 public:
  virtual ~Plugin() = default;

  /// Called once after creation, before any other call. Throwing here reports
  /// the plugin as failed; the broker goes on without it.
  virtual void start() {}
  /// Called once at shutdown, in reverse start order. Cancel timers, close
  /// sockets; do not block for long.
  virtual void stop() {}

  /// Every heartbeat after it went out, as clients received it.
  virtual void on_heartbeat(const nlohmann::json& /*heartbeat*/) {}

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
  bool enabled_by_default = true; ///< false: loaded only when config enables it
  std::vector<hookbroker_config_option> options;  ///< config map (config.hpp)
  const char* heartbeat_keys = "";  ///< comma-separated heartbeat `data` keys it owns
};

/// The interfaces a created plugin object provides, as the core receives them
/// from hookbroker_plugin_create (null where the class does not derive from
/// the interface).
struct PluginInterfaces {
  Transport* transport = nullptr;
  SessionTracker* session_tracker = nullptr;
  HookHandler* hook_handler = nullptr;
  HeartbeatContributor* heartbeat_contributor = nullptr;
  EventSink* event_sink = nullptr;
};

/// Why hookbroker_plugin_create returned no plugin.
enum class CreateError : uint32_t {
  None = 0,
  Failed = 1,     ///< the constructor threw
  BadConfig = 2,  ///< it threw ConfigError: a bad setting, the broker exits 2
};

namespace detail {

/// HOOKBROKER_KIND_* bits of a plugin class, from its base classes.
template <typename PluginClass>
constexpr uint32_t kinds_of() {
  return (std::is_base_of_v<Transport, PluginClass> ? HOOKBROKER_KIND_TRANSPORT : 0u) |
         (std::is_base_of_v<SessionTracker, PluginClass> ? HOOKBROKER_KIND_SESSION_TRACKER : 0u) |
         (std::is_base_of_v<HookHandler, PluginClass> ? HOOKBROKER_KIND_HOOK_HANDLER : 0u) |
         (std::is_base_of_v<HeartbeatContributor, PluginClass> ? HOOKBROKER_KIND_HEARTBEAT_CONTRIBUTOR : 0u) |
         (std::is_base_of_v<EventSink, PluginClass> ? HOOKBROKER_KIND_EVENT_SINK : 0u);
}

template <typename Interface, typename PluginClass>
Interface* interface_of(PluginClass* object) {
  if constexpr (std::is_base_of_v<Interface, PluginClass>)
    return static_cast<Interface*>(object);
  else
    return nullptr;
}

template <typename PluginClass>
PluginInterfaces interfaces_of(PluginClass* object) {
  PluginInterfaces i;
  i.transport = interface_of<Transport>(object);
  i.session_tracker = interface_of<SessionTracker>(object);
  i.hook_handler = interface_of<HookHandler>(object);
  i.heartbeat_contributor = interface_of<HeartbeatContributor>(object);
  i.event_sink = interface_of<EventSink>(object);
  return i;
}

inline hookbroker_manifest make_manifest(const PluginInfo& info, uint32_t kinds) {
  hookbroker_manifest m{};
  m.struct_size = sizeof(hookbroker_manifest);
  m.abi_major = HOOKBROKER_ABI_MAJOR;
  m.abi_minor = HOOKBROKER_ABI_MINOR;
  m.name = info.name;
  m.version = info.version;
  m.description = info.description;
  m.kinds = kinds;
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

template <typename PluginClass>
Plugin* create_guarded(HostApi& host, const nlohmann::json& config, PluginInterfaces* interfaces,
                       char* error, std::size_t error_size, CreateError* error_kind) noexcept {
  static_assert(std::is_base_of_v<Plugin, PluginClass>, "a plugin class derives from hookbroker::Plugin");
  if constexpr (std::is_base_of_v<EventSink, PluginClass>)
    static_assert(overrides_a_consume<PluginClass>(),
                  "an EventSink overrides consume_event() (or the older consume()); each default calls the other");
  if (error_kind) *error_kind = CreateError::Failed;
  try {
    auto* object = new PluginClass(host, config);
    if (interfaces) *interfaces = interfaces_of(object);
    if (error_kind) *error_kind = CreateError::None;
    return object;
  } catch (const ConfigError& e) {
    // Caught here, inside the plugin's library: exception types are never
    // matched across the library boundary.
    if (error_kind) *error_kind = CreateError::BadConfig;
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

// The plugin entry points, declared once: HOOKBROKER_PLUGIN defines them and
// the core looks them up by these names and types.
extern "C" {
/// The manifest, or nullptr when the PluginInfo expression threw.
HOOKBROKER_EXPORT const hookbroker_manifest* hookbroker_plugin_manifest() noexcept;
/// Creates the plugin with its validated config; on failure returns nullptr
/// and writes a message to `error` and the reason to `error_kind`.
HOOKBROKER_EXPORT ::hookbroker::Plugin* hookbroker_plugin_create(
    ::hookbroker::HostApi* host, const ::nlohmann::json* config, ::hookbroker::PluginInterfaces* interfaces,
    char* error, std::size_t error_size, ::hookbroker::CreateError* error_kind) noexcept;
/// Frees an object hookbroker_plugin_create returned.
HOOKBROKER_EXPORT void hookbroker_plugin_destroy(::hookbroker::Plugin* plugin) noexcept;
}

namespace hookbroker::entry_points {
inline constexpr const char* kManifest = "hookbroker_plugin_manifest";
inline constexpr const char* kCreate = "hookbroker_plugin_create";
inline constexpr const char* kDestroy = "hookbroker_plugin_destroy";
using ManifestFn = decltype(hookbroker_plugin_manifest);
using CreateFn = decltype(hookbroker_plugin_create);
using DestroyFn = decltype(hookbroker_plugin_destroy);
}  // namespace hookbroker::entry_points

/// Makes this library a hookbroker plugin. `PluginClass` must derive from
/// hookbroker::Plugin (and the interfaces of what it does) and be
/// constructible from (HostApi&, const json& config); the rest is an
/// expression yielding a hookbroker::PluginInfo.
#define HOOKBROKER_PLUGIN(PluginClass, ...)                                                   \
  extern "C" const hookbroker_manifest* hookbroker_plugin_manifest() noexcept {              \
    try {                                                                                     \
      static const ::hookbroker::PluginInfo hookbroker_info = (__VA_ARGS__);                  \
      static const hookbroker_manifest hookbroker_m = ::hookbroker::detail::make_manifest(    \
          hookbroker_info, ::hookbroker::detail::kinds_of<PluginClass>());                    \
      return &hookbroker_m;                                                                   \
    } catch (...) {                                                                           \
      return nullptr;                                                                         \
    }                                                                                         \
  }                                                                                           \
  extern "C" ::hookbroker::Plugin* hookbroker_plugin_create(                                  \
      ::hookbroker::HostApi* host, const ::nlohmann::json* config,                            \
      ::hookbroker::PluginInterfaces* interfaces, char* error, std::size_t error_size,        \
      ::hookbroker::CreateError* error_kind) noexcept {                                       \
    return ::hookbroker::detail::create_guarded<PluginClass>(*host, *config, interfaces, error, \
                                                             error_size, error_kind);         \
  }                                                                                           \
  extern "C" void hookbroker_plugin_destroy(::hookbroker::Plugin* p) noexcept { delete p; }
