// A fresh directory per test, removed when the object goes away (kept when
// HOOKBROKER_TEST_KEEP is set, for post-mortems).
#pragma once

#include <string>

namespace hbtest {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

/// Reads a whole file ("" when missing).
std::string read_file(const std::string& path);
void write_file(const std::string& path, const std::string& content);

}  // namespace hbtest
