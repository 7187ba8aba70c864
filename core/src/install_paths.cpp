#include "install_paths.hpp"

#include <boost/dll/runtime_symbol_info.hpp>

#include "install_layout.hpp"

namespace hookbroker::core {

namespace {

std::string beside_executable(const char* relative) {
  return (boost::dll::program_location().parent_path() / relative).lexically_normal().string();
}

}  // namespace

std::string executable_dir() { return boost::dll::program_location().parent_path().string(); }

std::string builtin_plugin_dir() { return beside_executable(HOOKBROKER_PLUGIN_DIR_FROM_BIN); }

std::string builtin_data_dir() { return beside_executable(HOOKBROKER_DATA_DIR_FROM_BIN); }

}  // namespace hookbroker::core
