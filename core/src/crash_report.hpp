// On a fatal signal (a plugin or the core crashing), print the signal and a
// backtrace to stderr before dying as the signal would: the one report a user
// can paste into a bug, and the one clue when a crash happens once in a
// hundred runs. The broker cannot survive such a crash (plugins share the
// process); it can at least say where it happened.
#pragma once

namespace hookbroker::core {

void install_crash_report();

}  // namespace hookbroker::core
