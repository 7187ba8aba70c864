// hookbroker SDK — LoadedPlugin: load a built plugin .so in a test, as the core does.
//
// Tests the artifact users install, not just its sources: the library loads
// with every symbol resolved (RTLD_NOW), its manifest (the text the core reads
// from the file, manifest.hpp) parses, and create/destroy go through the
// exported functions.
//
//   hookbroker::testing::FakeHost host("my_plugin");
//   hookbroker::testing::LoadedPlugin lib(MY_PLUGIN_PATH);   // e.g. "$<TARGET_FILE:my_plugin>"
//   EXPECT_EQ(lib.manifest().name, "my_plugin");
//   auto plugin = lib.create(host, {{"answer", 42}});         // throws with the plugin's error
//   host.on_strand([&] { plugin->start(); });
//   plugin.heartbeat_data();                                  // what the core would merge
//
// create() applies the plugin's own option table to the config first, as the
// core does (hookbroker::resolve_config: defaults filled in, deprecated names
// mapped and warned about through host.log, unknown keys refused), so a test
// may pass a partial config. Value types and ranges are the core's check.
// Link with ${CMAKE_DL_LIBS}. Keep the LoadedPlugin alive longer than the
// objects it created.
#pragma once

#include <dlfcn.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "hookbroker/plugin.hpp"

namespace hookbroker::testing {

class LoadedPlugin {
 public:
  /// A created plugin object with the interfaces it handed the core.
  class Instance {
   public:
    Instance() = default;
    Instance(Plugin* plugin, PluginInterfaces interfaces, std::function<void(Plugin*)> destroy)
        : plugin_(plugin, std::move(destroy)), interfaces_(interfaces) {}
    Plugin* operator->() const { return plugin_.get(); }
    Plugin* get() const { return plugin_.get(); }
    explicit operator bool() const { return plugin_ != nullptr; }
    void reset() {
      plugin_.reset();
      interfaces_ = {};
    }
    Transport* transport() const { return interfaces_.transport; }
    SessionTracker* session_tracker() const { return interfaces_.session_tracker; }
    HookHandler* hook_handler() const { return interfaces_.hook_handler; }
    HeartbeatContributor* heartbeat_contributor() const { return interfaces_.heartbeat_contributor; }
    EventSink* event_sink() const { return interfaces_.event_sink; }
    /// What the core merges into the heartbeat's data from this plugin:
    /// contribute(), then contribute_serialized()'s texts parsed over it
    /// (throws on invalid text, which the core would drop). Call it on the
    /// plugin's strand (FakeHost::on_strand) if the plugin expects that.
    nlohmann::json heartbeat_data() const {
      nlohmann::json data = interfaces_.heartbeat_contributor->contribute();
      for (const auto& value : interfaces_.heartbeat_contributor->contribute_serialized())
        data[value.key] = nlohmann::json::parse(*value.json);
      return data;
    }

   private:
    std::unique_ptr<Plugin, std::function<void(Plugin*)>> plugin_;
    PluginInterfaces interfaces_;
  };

  explicit LoadedPlugin(const std::string& path)
      : handle_(dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL)) {
    if (handle_ == nullptr) throw std::runtime_error("cannot load " + path + ": " + dlerror());
    // The exported object is the manifest section's text (see manifest.hpp).
    const auto* text = static_cast<const char*>(dlsym(handle_, manifest_location::kSymbol));
    ManifestRead read = text ? read_plugin_manifest(text) : ManifestRead{};
    if (!read.ok) {
      dlclose(handle_);
      throw std::runtime_error(path + ": " +
                               (text ? "malformed manifest: " + read.error
                                     : std::string("no manifest: build it with HOOKBROKER_PLUGIN")));
    }
    manifest_ = std::move(read.manifest);
  }
  ~LoadedPlugin() {
    if (handle_ != nullptr) dlclose(handle_);
  }
  LoadedPlugin(const LoadedPlugin&) = delete;
  LoadedPlugin& operator=(const LoadedPlugin&) = delete;

  const PluginManifest& manifest() const { return manifest_; }

  /// Creates the plugin object from `config` completed with the table's
  /// defaults; throws with the plugin's own error message, or when the config
  /// has a key the table does not know or an option under both its names.
  Instance create(HostApi& host, const nlohmann::json& partial_config) const {
    const PluginManifest& m = manifest_;
    ResolvedConfig resolved =
        resolve_config(m.options.data(), m.options.size(), partial_config, "plugins." + m.name + ".config");
    for (const auto& problem : resolved.conflicts) throw std::runtime_error("invalid config: " + problem);
    for (const auto& problem : resolved.errors) throw std::runtime_error("invalid config: " + problem);
    for (const auto& warning : resolved.warnings) host.log(LogLevel::Warn, warning);
    const nlohmann::json& config = resolved.value;
    auto* create_fn = symbol<entry_points::CreateFn>(entry_points::kCreate);
    auto* destroy_fn = symbol<entry_points::DestroyFn>(entry_points::kDestroy);
    char error[512] = "";
    CreateError error_kind = CreateError::None;
    PluginInterfaces interfaces;
    Plugin* p = create_fn(&host, &config, &interfaces, error, sizeof error, &error_kind);
    if (p == nullptr)
      throw std::runtime_error(std::string(error_kind == CreateError::BadConfig ? "plugin refused its config: "
                                                                                : "plugin create failed: ") +
                               error);
    return Instance(p, interfaces, [destroy_fn](Plugin* q) { destroy_fn(q); });
  }

 private:
  template <typename Signature>
  Signature* symbol(const char* name) const {
    void* s = dlsym(handle_, name);
    if (s == nullptr) throw std::runtime_error(std::string("plugin does not export ") + name);
    return reinterpret_cast<Signature*>(s);
  }

  void* handle_;
  PluginManifest manifest_;
};

}  // namespace hookbroker::testing
