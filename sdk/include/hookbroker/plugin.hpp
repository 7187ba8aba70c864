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
// The PluginInfo expression is evaluated at compile time (a constexpr lambda
// as above; its option table a braced list or a config_table(), config.hpp):
// the macro writes it, with the kinds, as the manifest text into the library's
// manifest section (manifest.hpp), which the core reads from the file without
// opening the library. It also defines the two extern "C" entry points
// declared at the end of this file: create (exceptions are caught and
// reported, never cross the library boundary) and destroy (the object is
// freed by the library that allocated it). Use it once, at global scope.
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
#include "hookbroker/manifest_writer.hpp"
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

/// What a plugin says about itself; HOOKBROKER_PLUGIN turns it into the
/// manifest at compile time, so every member is a constant: string literals,
/// and an option table the compiler can evaluate.
struct PluginInfo {
  const char* name = "";          ///< unique, [a-z0-9_]+, also the config key
  const char* version = "0.0.0";
  const char* description = "";   ///< one line
  bool enabled_by_default = true; ///< false: loaded only when config enables it
  OptionList options;             ///< config map (config.hpp)
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
// the core looks them up by these names and types (the manifest is data, see
// manifest.hpp).
extern "C" {
/// Creates the plugin with its validated config; on failure returns nullptr
/// and writes a message to `error` and the reason to `error_kind`.
HOOKBROKER_EXPORT ::hookbroker::Plugin* hookbroker_plugin_create(
    ::hookbroker::HostApi* host, const ::nlohmann::json* config, ::hookbroker::PluginInterfaces* interfaces,
    char* error, std::size_t error_size, ::hookbroker::CreateError* error_kind) noexcept;
/// Frees an object hookbroker_plugin_create returned.
HOOKBROKER_EXPORT void hookbroker_plugin_destroy(::hookbroker::Plugin* plugin) noexcept;
}

namespace hookbroker::entry_points {
inline constexpr const char* kCreate = "hookbroker_plugin_create";
inline constexpr const char* kDestroy = "hookbroker_plugin_destroy";
using CreateFn = decltype(hookbroker_plugin_create);
using DestroyFn = decltype(hookbroker_plugin_destroy);
}  // namespace hookbroker::entry_points

/// Makes this library a hookbroker plugin. `PluginClass` must derive from
/// hookbroker::Plugin (and the interfaces of what it does) and be
/// constructible from (HostApi&, const json& config); the rest is a constant
/// expression yielding a hookbroker::PluginInfo. The manifest text is one
/// exported object in its own section: exported, so no linker drops it.
#define HOOKBROKER_PLUGIN(PluginClass, ...)                                                      \
  namespace {                                                                                    \
  constexpr ::hookbroker::PluginInfo hookbroker_plugin_info_ = (__VA_ARGS__);                    \
  constexpr ::std::uint32_t hookbroker_plugin_kinds_ = ::hookbroker::detail::kinds_of<PluginClass>(); \
  constexpr ::std::size_t hookbroker_plugin_manifest_size_ =                                     \
      ::hookbroker::detail::manifest_text_size(hookbroker_plugin_info_, hookbroker_plugin_kinds_); \
  }                                                                                              \
  extern "C" HOOKBROKER_EXPORT __attribute__((section(HOOKBROKER_MANIFEST_SECTION), used))      \
  const ::hookbroker::detail::ManifestText<hookbroker_plugin_manifest_size_>                     \
      HOOKBROKER_MANIFEST_SYMBOL =                                                               \
          ::hookbroker::detail::manifest_text<hookbroker_plugin_manifest_size_>(                 \
              hookbroker_plugin_info_, hookbroker_plugin_kinds_);                                \
  extern "C" ::hookbroker::Plugin* hookbroker_plugin_create(                                     \
      ::hookbroker::HostApi* host, const ::nlohmann::json* config,                               \
      ::hookbroker::PluginInterfaces* interfaces, char* error, std::size_t error_size,           \
      ::hookbroker::CreateError* error_kind) noexcept {                                          \
    return ::hookbroker::detail::create_guarded<PluginClass>(*host, *config, interfaces, error,  \
                                                             error_size, error_kind);            \
  }                                                                                              \
  extern "C" void hookbroker_plugin_destroy(::hookbroker::Plugin* p) noexcept { delete p; }
