// Where plugins may come from: the permission checker names each way someone
// other than root or the broker's user could change what the broker loads.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "plugins/trusted_location.hpp"
#include "temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using hookbroker::core::directory_problems;
using hookbroker::core::file_problems;
using hookbroker::core::LocationProblem;

constexpr uid_t kNobody = 65534;

std::string make_dir(const std::string& path, mode_t mode) {
  fs::create_directories(path);
  EXPECT_EQ(::chmod(path.c_str(), mode), 0) << path;
  return fs::canonical(path).string();
}

std::string joined(const std::vector<LocationProblem>& problems) {
  std::string text;
  for (const auto& p : problems) text += p.text() + "\n";
  return text;
}

/// A user the checks do not trust for files the test creates: when the test
/// runs as root (who is always trusted) the files go to `nobody` instead.
struct Stranger {
  uid_t broker_user;
  bool chown_needed;
};
Stranger stranger() { return ::geteuid() == 0 ? Stranger{0, true} : Stranger{::geteuid() + 1, false}; }

TEST(TrustedLocation, ADirectoryOnlyItsOwnerCanWriteIsFine) {
  hbtest::TempDir tmp;  // 0700 under /tmp (1777, sticky)
  const std::string dir = make_dir(tmp.file("plugins"), 0755);
  EXPECT_TRUE(directory_problems(dir, ::geteuid(), "plugin directory").empty())
      << joined(directory_problems(dir, ::geteuid(), "plugin directory"));
}

TEST(TrustedLocation, AWorldWritableDirectoryIsNamedWithTheFix) {
  hbtest::TempDir tmp;
  const std::string dir = make_dir(tmp.file("plugins"), 0777);
  const auto problems = directory_problems(dir, ::geteuid(), "plugin directory");
  ASSERT_EQ(problems.size(), 1u) << joined(problems);
  EXPECT_EQ(problems[0].path, dir);
  EXPECT_EQ(problems[0].problem, "plugin directory " + dir +
                                     " is writable by group and others (mode 0777), so they can add or replace "
                                     "plugins in it");
  EXPECT_EQ(problems[0].fix, "chmod go-w " + dir);
}

TEST(TrustedLocation, AGroupWritableDirectoryIsRefusedToo) {
  hbtest::TempDir tmp;
  const std::string dir = make_dir(tmp.file("plugins"), 0775);
  const auto problems = directory_problems(dir, ::geteuid(), "plugin directory");
  ASSERT_EQ(problems.size(), 1u) << joined(problems);
  EXPECT_NE(problems[0].problem.find("is writable by group (mode 0775)"), std::string::npos) << problems[0].problem;
}

TEST(TrustedLocation, AStickyPluginDirectoryIsStillRefused) {
  hbtest::TempDir tmp;
  const std::string dir = make_dir(tmp.file("plugins"), 01777);
  EXPECT_EQ(directory_problems(dir, ::geteuid(), "plugin directory").size(), 1u);
}

TEST(TrustedLocation, AParentWritableByOthersWithoutStickyBitIsRefused) {
  hbtest::TempDir tmp;
  const std::string parent = make_dir(tmp.file("shared"), 0777);
  const std::string dir = make_dir(tmp.file("shared/plugins"), 0755);
  const auto problems = directory_problems(dir, ::geteuid(), "plugin directory");
  ASSERT_EQ(problems.size(), 1u) << joined(problems);
  EXPECT_EQ(problems[0].path, parent);
  EXPECT_EQ(problems[0].problem, parent + ", above plugin directory " + dir +
                                     ", is writable by group and others without the sticky bit (mode 0777): they "
                                     "can rename " + dir + " and put another in its place");
  EXPECT_EQ(problems[0].fix, "chmod go-w " + parent + " (or chmod +t " + parent + ")");
}

TEST(TrustedLocation, AParentWithTheStickyBitIsFineLikeTmp) {
  hbtest::TempDir tmp;
  make_dir(tmp.file("shared"), 01777);
  const std::string dir = make_dir(tmp.file("shared/plugins"), 0755);
  EXPECT_TRUE(directory_problems(dir, ::geteuid(), "plugin directory").empty());
}

TEST(TrustedLocation, ADirectoryOwnedBySomeoneElseIsRefused) {
  hbtest::TempDir tmp;
  const std::string dir = make_dir(tmp.file("plugins"), 0755);
  const Stranger s = stranger();
  if (s.chown_needed) {
    ASSERT_EQ(::chown(dir.c_str(), kNobody, static_cast<gid_t>(-1)), 0);
  }
  const auto problems = directory_problems(dir, s.broker_user, "plugin directory");
  ASSERT_FALSE(problems.empty());
  EXPECT_NE(problems[0].problem.find(" is owned by "), std::string::npos) << problems[0].problem;
  EXPECT_NE(problems[0].problem.find(", not by root"), std::string::npos) << problems[0].problem;
  EXPECT_EQ(problems[0].fix.rfind("chown ", 0), 0u) << problems[0].fix;
}

TEST(TrustedLocation, AFileWritableByOthersOrOwnedBySomeoneElseIsRefused) {
  hbtest::TempDir tmp;
  const std::string path = tmp.file("x.so");
  std::ofstream(path) << "x";
  ASSERT_EQ(::chmod(path.c_str(), 0666), 0);
  struct stat st;
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  auto problems = file_problems(path, st, ::geteuid());
  ASSERT_EQ(problems.size(), 1u) << joined(problems);
  EXPECT_EQ(problems[0].problem, "plugin file " + path +
                                     " is writable by group and others (mode 0666), so they can change the code "
                                     "the broker runs");
  EXPECT_EQ(problems[0].fix, "chmod go-w " + path);

  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  const Stranger s = stranger();
  if (s.chown_needed) {
    ASSERT_EQ(::chown(path.c_str(), kNobody, static_cast<gid_t>(-1)), 0);
  }
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  problems = file_problems(path, st, s.broker_user);
  ASSERT_EQ(problems.size(), 1u) << joined(problems);
  if (s.chown_needed) {
    EXPECT_EQ(problems[0].problem, "plugin file " + path + " is owned by " + hookbroker::core::user_label(kNobody) +
                                       ", not by root, who runs the broker");
    EXPECT_EQ(problems[0].fix, "chown root " + path);
  }
}

TEST(TrustedLocation, PathsInFixesAreQuotedForTheShell) {
  EXPECT_EQ(hookbroker::core::shell_quoted("/usr/lib/hookbroker/plugins"), "/usr/lib/hookbroker/plugins");
  EXPECT_EQ(hookbroker::core::shell_quoted("/tmp/my plugins"), "'/tmp/my plugins'");
  EXPECT_EQ(hookbroker::core::shell_quoted("/tmp/it's"), "'/tmp/it'\\''s'");
}

}  // namespace
