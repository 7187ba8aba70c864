#include "platform/env_lookup.hpp"

#include <cstdlib>

namespace hookbroker::platform {

EnvLookup process_env() {
  return [](const char* name) -> const char* { return std::getenv(name); };
}

const char* non_empty(const EnvLookup& env, const char* name) {
  const char* value = env(name);
  return value && *value ? value : nullptr;
}

}  // namespace hookbroker::platform
