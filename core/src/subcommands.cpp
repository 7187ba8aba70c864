#include "subcommands.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "platform/executable_dir.hpp"

namespace hookbroker::core {

int run_subcommand(int argc, char** argv) {
  namespace fs = std::filesystem;
  const std::string command = argv[1];
  const std::string dir = platform::executable_dir();
  const std::string program = dir + "/hookbroker-" + command;
  std::error_code ec;
  if (command.find('/') == std::string::npos && fs::exists(program, ec)) {
    std::vector<char*> args;
    args.push_back(const_cast<char*>(program.c_str()));
    for (int i = 2; i < argc; ++i) args.push_back(argv[i]);
    args.push_back(nullptr);
    ::execv(program.c_str(), args.data());
    std::fprintf(stderr, "hookbroker: cannot run %s: %s\n", program.c_str(), std::strerror(errno));
    return 1;
  }
  std::string available;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("hookbroker-", 0) == 0) available += " " + name.substr(11);
  }
  std::fprintf(stderr, "hookbroker: unknown command '%s'. Commands:%s\nRun 'hookbroker --help' for the broker's options.\n",
               command.c_str(), available.empty() ? " (none installed)" : available.c_str());
  return 2;
}

}  // namespace hookbroker::core
