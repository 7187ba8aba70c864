// Files are opened only below the sessions' working directories: never
// through "..", a symlink leading out, or a path outside them; and whether
// a path outside exists is never told.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>

#include "confined_path.hpp"
#include "session_roots.hpp"
#include "temp_dir.hpp"

namespace hookbroker::mpm {
namespace {

std::string canonical(const std::string& path) {
  char buffer[PATH_MAX];
  return ::realpath(path.c_str(), buffer) ? std::string(buffer) : std::string();
}

class ConfinedPath : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = canonical(dir_.path());
    project_ = base_ + "/project";
    ASSERT_EQ(::mkdir(project_.c_str(), 0700), 0);
    ASSERT_EQ(::mkdir((project_ + "/sub").c_str(), 0700), 0);
    hbtest::write_file(project_ + "/a.txt", "inside\n");
    hbtest::write_file(project_ + "/sub/b.txt", "deeper\n");
    hbtest::write_file(base_ + "/secret.txt", "outside\n");
    ASSERT_EQ(::symlink("../secret.txt", (project_ + "/link_out").c_str()), 0);
    ASSERT_EQ(::symlink("a.txt", (project_ + "/link_in").c_str()), 0);
    ASSERT_EQ(::symlink(base_.c_str(), (project_ + "/dir_out").c_str()), 0);
    ASSERT_EQ(::symlink(project_.c_str(), (base_ + "/alias").c_str()), 0);
    dirs_.reported = {base_ + "/alias"};
    dirs_.canonical = {project_};
  }

  Confined open(const std::string& path, Want want = Want::File) { return open_confined(path, dirs_, want); }

  hbtest::TempDir dir_;
  std::string base_, project_;
  SessionDirs dirs_;
};

TEST_F(ConfinedPath, OpensAFileInsideAWorkingDirectory) {
  const Confined c = open(project_ + "/sub/b.txt");
  ASSERT_TRUE(c.ok()) << c.error;
  EXPECT_EQ(c.path, project_ + "/sub/b.txt");
  EXPECT_EQ(c.name, "b.txt");
  EXPECT_TRUE(c.parent.valid());
  char text[16] = {};
  EXPECT_EQ(::read(c.fd.get(), text, sizeof text - 1), 7);
  EXPECT_STREQ(text, "deeper\n");
}

TEST_F(ConfinedPath, APathAsTheSessionReportedItThroughItsOwnSymlinkIsInside) {
  const Confined c = open(base_ + "/alias/a.txt");
  ASSERT_TRUE(c.ok()) << c.error;
  EXPECT_EQ(c.path, project_ + "/a.txt");
}

TEST_F(ConfinedPath, ASymlinkThatStaysInsideIsFollowed) {
  const Confined c = open(project_ + "/link_in");
  ASSERT_TRUE(c.ok()) << c.error;
  EXPECT_EQ(c.path, project_ + "/a.txt");
}

TEST_F(ConfinedPath, DotDotIsRefusedEvenWhenItWouldStayInside) {
  const Confined c = open(project_ + "/sub/../a.txt");
  EXPECT_FALSE(c.ok());
  EXPECT_EQ(c.status, 403);
  EXPECT_NE(c.error.find("\"..\""), std::string::npos) << c.error;
  EXPECT_EQ(open(project_ + "/../secret.txt").status, 403);
}

TEST_F(ConfinedPath, AnAbsolutePathElsewhereIsRefused) {
  for (const std::string& path : {base_ + "/secret.txt", std::string("/etc/passwd"), std::string("/")}) {
    SCOPED_TRACE(path);
    const Confined c = open(path, Want::Any);
    EXPECT_FALSE(c.ok());
    EXPECT_EQ(c.status, 403);
    EXPECT_NE(c.error.find("outside the working directories"), std::string::npos) << c.error;
  }
}

TEST_F(ConfinedPath, SymlinksLeadingOutAreRefused) {
  for (const std::string& path : {project_ + "/link_out", project_ + "/dir_out/secret.txt"}) {
    SCOPED_TRACE(path);
    const Confined c = open(path);
    EXPECT_FALSE(c.ok());
    EXPECT_EQ(c.status, 403);
    EXPECT_NE(c.error.find("outside the working directories"), std::string::npos) << c.error;
  }
}

TEST_F(ConfinedPath, MissingFilesAreNotFoundInsideButRefusedOutside) {
  EXPECT_EQ(open(project_ + "/nothing.txt").status, 404);
  EXPECT_EQ(open(base_ + "/alias/nothing.txt").status, 404);
  EXPECT_EQ(open(base_ + "/nothing.txt").status, 403) << "outside, existence is not told";
  EXPECT_EQ(open("/no/such/dir/file").status, 403);
}

TEST_F(ConfinedPath, BadPathsAreClientErrors) {
  EXPECT_EQ(open("").status, 400);
  EXPECT_EQ(open("a.txt").status, 400);
  EXPECT_EQ(open(project_, Want::File).status, 400);
  EXPECT_EQ(open(project_ + "/a.txt", Want::Directory).status, 400);
  // A NUL (%00 in the query) is refused by name, not cut at by realpath and
  // answered for the shorter path.
  const Confined nul = open(project_ + "/sub/b.txt" + std::string(1, '\0') + "x");
  EXPECT_EQ(nul.status, 400);
  EXPECT_NE(nul.error.find("NUL"), std::string::npos) << nul.error;
  const std::string fifo = project_ + "/pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const Confined c = open(fifo);  // must not block waiting for a writer
  EXPECT_EQ(c.status, 400);
  EXPECT_NE(c.error.find("not a regular file"), std::string::npos);
}

TEST_F(ConfinedPath, DirectoriesOpenAsDirectoriesAndAnyTakesBoth) {
  EXPECT_TRUE(open(project_, Want::Directory).ok());
  EXPECT_TRUE(open(project_ + "/sub", Want::Any).ok());
  EXPECT_TRUE(open(project_ + "/a.txt", Want::Any).ok());
}

TEST_F(ConfinedPath, NothingOpensWithoutAWorkingDirectory) {
  const Confined c = open_confined(project_ + "/a.txt", SessionDirs{}, Want::File);
  EXPECT_EQ(c.status, 403);
  EXPECT_NE(c.error.find("no session has reported a working directory"), std::string::npos);
}

TEST(IsWithin, ComparesWholeComponents) {
  EXPECT_TRUE(is_within("/a/b", "/a/b"));
  EXPECT_TRUE(is_within("/a/b/c", "/a/b"));
  EXPECT_FALSE(is_within("/a/bc", "/a/b"));
  EXPECT_FALSE(is_within("/a", "/a/b"));
  EXPECT_FALSE(is_within("/a", ""));
}

}  // namespace
}  // namespace hookbroker::mpm
