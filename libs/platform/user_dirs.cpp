#include "platform/user_dirs.hpp"

namespace hookbroker::platform {
namespace {

/// $<xdg_variable>/hookbroker<tail>, else $HOME/<home_fallback>/hookbroker<tail>.
std::string xdg_path(const EnvLookup& env, const char* xdg_variable, const char* home_fallback, const char* tail) {
  if (const char* xdg = non_empty(env, xdg_variable)) return std::string(xdg) + "/hookbroker" + tail;
  const char* home = env("HOME");
  return std::string(home ? home : "") + home_fallback + "/hookbroker" + tail;
}

}  // namespace

std::string default_config_path(const EnvLookup& env) {
  return xdg_path(env, "XDG_CONFIG_HOME", "/.config", "/config.json");
}

std::string default_state_dir(const EnvLookup& env) {
  return xdg_path(env, "XDG_STATE_HOME", "/.local/state", "");
}

}  // namespace hookbroker::platform
