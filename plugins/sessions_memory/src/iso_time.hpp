// Reading the ISO-8601 timestamps events carry back into clock values: the
// SDK's parser (hookbroker/time.hpp), shared with the tools that read them.
#pragma once

#include "hookbroker/time.hpp"

namespace hookbroker::sessions {

using hookbroker::parse_iso8601;

}  // namespace hookbroker::sessions
