#include "install_paths.hpp"

#include <filesystem>

#include "install_layout.hpp"
#include "platform/executable_dir.hpp"

namespace hookbroker::core {

namespace {

std::string beside_executable(const char* relative) {
  return (std::filesystem::path(platform::executable_dir()) / relative).lexically_normal().string();
}

}  // namespace

std::string builtin_plugin_dir() { return beside_executable(HOOKBROKER_PLUGIN_DIR_FROM_BIN); }

std::string builtin_data_dir() { return beside_executable(HOOKBROKER_DATA_DIR_FROM_BIN); }

}  // namespace hookbroker::core
