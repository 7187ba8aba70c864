// `hookbroker COMMAND ...` runs the companion executable `hookbroker-COMMAND`
// from the same directory (git style), so the broker's core stays small and
// each tool brings only its own dependencies.
#pragma once

namespace hookbroker::core {

/// Replaces the process with the command's executable; returns an exit code
/// only when that fails (2: unknown command).
int run_subcommand(int argc, char** argv);

}  // namespace hookbroker::core
