#include "plugin_report.hpp"

#include <sstream>

#include "options/config_schema.hpp"
#include "plugins/manifest_check.hpp"

namespace hookbroker::core {

std::string list_plugins_text(const PluginCatalog& catalog) {
  std::ostringstream out;
  if (catalog.candidates().empty()) out << "no plugins found\n";
  for (const auto& c : catalog.candidates()) {
    out << c.name;
    if (c.manifest) out << " " << c.manifest->version << "  [" << kinds_to_string(c.manifest->kinds) << "]";
    out << "\n  path:   " << c.path << "\n  status: ";
    switch (c.status) {
      case PluginCandidate::Status::Ready: out << "loads"; break;
      case PluginCandidate::Status::Disabled: out << "not loaded: " << c.reason; break;
      case PluginCandidate::Status::Refused: out << "refused: " << c.reason; break;
    }
    out << "\n";
  }
  for (const auto& w : catalog.warnings()) out << "warning: " << w << "\n";
  return out.str();
}

std::string describe_plugin_text(const PluginCatalog& catalog, const std::string& name) {
  const PluginCandidate* c = catalog.find(name);
  if (!c) return {};
  std::ostringstream out;
  if (!c->manifest) {
    out << name << " (" << c->path << ")\n  refused: " << c->reason << "\n";
    return out.str();
  }
  const PluginManifest& m = *c->manifest;
  out << m.name << " " << m.version << " - " << m.description << "\n"
      << "  kinds:  " << kinds_to_string(m.kinds) << "\n"
      << "  path:   " << c->path << "\n"
      << "  loaded: " << (m.enabled_by_default() ? "by default" : "only when enabled") << "\n";
  if (!c->heartbeat_keys.empty()) {
    out << "  heartbeat keys:";
    for (const auto& k : c->heartbeat_keys) out << " " << k;
    out << "\n";
  }
  out << "\nConfig options (plugins." << m.name << ".config):\n";
  nlohmann::json example = nlohmann::json::object();
  if (m.options.empty()) out << "  (none)\n";
  for (const auto& o : m.options) {
    out << "  " << o.name << "  (" << describe_allowed(o) << ", default " << (o.default_json ? o.default_json : "none")
        << ")\n      " << (o.description ? o.description : "") << "\n";
    if (o.deprecated_name) out << "      " << deprecated_alias_note(o) << "\n";
    example[o.name] = default_value(o);
  }
  nlohmann::json config = {{"plugins", {{m.name, {{"enabled", true}, {"config", example}}}}}};
  out << "\nExample config file section with the defaults:\n" << config.dump(2) << "\n";
  return out.str();
}

}  // namespace hookbroker::core
