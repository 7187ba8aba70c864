// hookbroker SDK — everything a plugin needs, in one include.
#pragma once

#include "hookbroker/plugin.hpp"
#include "hookbroker/time.hpp"
