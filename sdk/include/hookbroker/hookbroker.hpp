// hookbroker SDK — everything a plugin needs, in one include.
#pragma once

#include "hookbroker/json_input.hpp"
#include "hookbroker/plugin.hpp"
#include "hookbroker/time.hpp"
