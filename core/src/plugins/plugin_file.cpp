#include "plugins/plugin_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace hookbroker::core {
namespace {

struct FileDescriptor {
  int fd;
  ~FileDescriptor() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

PluginFile inspect_plugin_file(const std::string& listed_path, const std::string& real_dir, uid_t user) {
  namespace fs = std::filesystem;
  PluginFile out;
  std::error_code ec;
  const fs::path real = fs::canonical(listed_path, ec);
  if (ec) {
    out.manifest.reason = "cannot resolve " + listed_path + ": " + ec.message() + " (a symlink to nowhere?)";
    return out;
  }
  out.real_path = real.string();
  // A symlink to a file elsewhere: whoever controls that place controls the plugin too.
  if (real.parent_path() != fs::path(real_dir))
    out.problems = directory_problems(real.parent_path().string(), user, "directory of the plugin file");

  // Checked before opening: opening a FIFO or a device can block or act.
  struct stat before;
  if (::lstat(out.real_path.c_str(), &before) != 0) {
    out.manifest.reason = "cannot read " + out.real_path + ": " + std::strerror(errno);
    return out;
  }
  if (!S_ISREG(before.st_mode)) {
    out.manifest.reason = out.real_path + " is not a regular file; remove it from the plugin directory";
    return out;
  }
  FileDescriptor file{::open(out.real_path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)};
  struct stat opened;
  if (file.fd < 0 || ::fstat(file.fd, &opened) != 0) {
    out.manifest.reason = "cannot read " + out.real_path + ": " + std::strerror(errno);
    return out;
  }
  if (opened.st_dev != before.st_dev || opened.st_ino != before.st_ino || !S_ISREG(opened.st_mode)) {
    out.manifest.reason = out.real_path + " was replaced while it was being checked; try again";
    return out;
  }
  for (auto& problem : file_problems(out.real_path, opened, user)) out.problems.push_back(std::move(problem));
  out.manifest = read_manifest_from_file(file.fd);
  return out;
}

}  // namespace hookbroker::core
