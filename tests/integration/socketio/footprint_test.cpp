// What a running broker keeps mapped (issue 16, idle RSS): libraries it
// needs only at start are not mapped once it serves, and the libraries it
// does not need at all are not linked. On a kernel that maps whole
// page-cache folios, each mapped library costs about its file size.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "socketio_broker.hpp"

namespace sio_it {
namespace {

using hbtest::BrokerProcess;

/// The names of the files `pid` maps, e.g. "libc.so.6".
std::vector<std::string> mapped_files(pid_t pid) {
  std::vector<std::string> files;
  std::ifstream maps("/proc/" + std::to_string(pid) + "/maps");
  for (std::string line; std::getline(maps, line);) {
    const auto slash = line.rfind('/');
    if (slash != std::string::npos) files.push_back(line.substr(slash + 1));
  }
  return files;
}

TEST(SocketIoFootprint, AServingBrokerMapsNeitherLibelfNorTheLibrariesItCompilesIn) {
  BrokerProcess broker(broker_args());
  const int port = broker.port();
  ASSERT_GT(port, 0) << broker.output();
  ASSERT_EQ(http(port, "GET", "/health").status, 200);  // plugins scanned and started
  const std::vector<std::string> files = mapped_files(broker.pid());
  ASSERT_FALSE(files.empty());
  // libelf: read plugin manifests at start, closed after. spdlog and fmt:
  // compiled in from their headers. Boost.Filesystem: Boost.DLL uses
  // std::filesystem.
  for (const char* library : {"libelf", "libspdlog", "libfmt", "libboost_filesystem"})
    for (const auto& file : files) EXPECT_NE(file.rfind(library, 0), 0u) << file << " is mapped";
}

}  // namespace
}  // namespace sio_it
