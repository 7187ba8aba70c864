// An environment for tests: a map read through platform::EnvLookup, so code
// that reads HOOKBROKER_* or XDG_* variables never sees the real ones.
#pragma once

#include <map>
#include <string>

#include "platform/env_lookup.hpp"

namespace hbtest {

struct FakeEnv {
  std::map<std::string, std::string> vars;
  hookbroker::platform::EnvLookup lookup() const {
    return [this](const char* name) -> const char* {
      auto it = vars.find(name);
      return it == vars.end() ? nullptr : it->second.c_str();
    };
  }
};

}  // namespace hbtest
