// Where a user's hookbroker config and state live by default (XDG base
// directories). The broker and its companion tools resolve them alike, so a
// user configures the port or the state directory once.
#pragma once

#include <string>

#include "platform/env_lookup.hpp"

namespace hookbroker::platform {

/// $XDG_CONFIG_HOME/hookbroker/config.json, else
/// $HOME/.config/hookbroker/config.json.
std::string default_config_path(const EnvLookup& env);

/// $XDG_STATE_HOME/hookbroker, else $HOME/.local/state/hookbroker.
std::string default_state_dir(const EnvLookup& env);

}  // namespace hookbroker::platform
