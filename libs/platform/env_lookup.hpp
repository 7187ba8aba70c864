// Reading environment variables through an injected lookup, so tests need not
// touch the real environment. Used by the core's settings loader and by the
// broker client (tools).
#pragma once

#include <functional>

namespace hookbroker::platform {

/// Looks up an environment variable; nullptr when unset.
using EnvLookup = std::function<const char*(const char*)>;

/// The process environment (getenv).
EnvLookup process_env();

/// The variable's value, or nullptr when it is unset or empty.
const char* non_empty(const EnvLookup& env, const char* name);

}  // namespace hookbroker::platform
