// The broker executable's start-up: the command line, settings, plugin
// listing, then the broker until it stops. Returns the process exit code.
#pragma once

namespace hookbroker::core {

int broker_main(int argc, char** argv);

}  // namespace hookbroker::core
