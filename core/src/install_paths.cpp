#include "install_paths.hpp"

#include <boost/dll/runtime_symbol_info.hpp>

namespace hookbroker::core {

std::string executable_dir() { return boost::dll::program_location().parent_path().string(); }

std::string builtin_plugin_dir() {
  return (boost::dll::program_location().parent_path().parent_path() / "lib" / "hookbroker" / "plugins")
      .lexically_normal()
      .string();
}

std::string builtin_data_dir() {
  return (boost::dll::program_location().parent_path().parent_path() / "share" / "hookbroker")
      .lexically_normal()
      .string();
}

}  // namespace hookbroker::core
