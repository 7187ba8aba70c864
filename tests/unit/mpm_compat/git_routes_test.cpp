// /api/file/diff and /api/git-history against a real repository.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>

#include "git_routes.hpp"
#include "options.hpp"
#include "temp_dir.hpp"

namespace hookbroker::mpm {
namespace {

using nlohmann::json;

json git_body(const HttpResponse& r) { return json::parse(r.body); }

class GitRoutes : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::system("git --version > /dev/null 2>&1") != 0) GTEST_SKIP() << "git is not installed";
    char real[PATH_MAX];
    ASSERT_NE(::realpath(dir_.path().c_str(), real), nullptr);
    repo_ = std::string(real) + "/repo";
    ASSERT_EQ(::mkdir(repo_.c_str(), 0700), 0);
    hbtest::write_file(repo_ + "/total.py", "total = 1\n");
    hbtest::write_file(repo_ + "/:(glob)*", "a file named like pathspec magic\n");
    git("init -q -b main");
    git("add total.py");
    git("commit -q -m 'First: the total'");
    hbtest::write_file(repo_ + "/total.py", "total = 2\n");
    git("commit -q -am 'Second: fix | the total'");
    hbtest::write_file(repo_ + "/total.py", "total = 3\n");
    hbtest::write_file(repo_ + "/new.py", "x = 1\n");
    dirs_.reported = {repo_};
    dirs_.canonical = {repo_};
    options_ = Options::from_config(with_defaults(Options::table(), json::object()));
  }

  void git(const std::string& args) {
    const std::string command = "git -C '" + repo_ + "' -c user.name=Dev -c user.email=dev@example.com " + args +
                                " > /dev/null 2>&1";
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
  }

  hbtest::TempDir dir_;
  std::string repo_;
  SessionDirs dirs_;
  Options options_;
};

TEST_F(GitRoutes, DiffShowsUncommittedChangesOfATrackedFile) {
  const HttpResponse r = file_diff_answer(repo_ + "/total.py", dirs_, options_);
  ASSERT_EQ(r.status, 200) << r.body;
  const json body = git_body(r);
  EXPECT_EQ(body["success"], true);
  EXPECT_EQ(body["tracked"], true);
  EXPECT_EQ(body["has_changes"], true);
  EXPECT_NE(body["diff"].get<std::string>().find("-total = 2\n+total = 3"), std::string::npos) << body["diff"];
}

TEST_F(GitRoutes, AnUntrackedFileHasNoDiff) {
  const json body = git_body(file_diff_answer(repo_ + "/new.py", dirs_, options_));
  EXPECT_EQ(body["success"], true);
  EXPECT_EQ(body["tracked"], false);
  EXPECT_EQ(body["diff"], "");
  const json magic = git_body(file_diff_answer(repo_ + "/:(glob)*", dirs_, options_));
  EXPECT_EQ(magic["tracked"], false) << "a file name is never read as a pathspec pattern";
}

TEST_F(GitRoutes, HistoryListsCommitsNewestFirstInClaudeMpmsShape) {
  const HttpResponse r = git_history_answer(json{{"path", repo_ + "/total.py"}}.dump(), dirs_, options_);
  ASSERT_EQ(r.status, 200) << r.body;
  const json commits = git_body(r)["commits"];
  ASSERT_EQ(commits.size(), 2u);
  EXPECT_EQ(commits[0]["message"], "Second: fix | the total");
  EXPECT_EQ(commits[1]["message"], "First: the total");
  EXPECT_EQ(commits[0]["author"], "Dev");
  EXPECT_EQ(commits[0]["hash"].get<std::string>().size(), 7u);
  EXPECT_TRUE(commits[0]["date"].is_string());
  const json one = git_body(git_history_answer(json{{"path", repo_ + "/total.py"}, {"limit", 1}}.dump(), dirs_, options_));
  EXPECT_EQ(one["commits"].size(), 1u);
  const json folder = git_body(git_history_answer(json{{"path", repo_}}.dump(), dirs_, options_));
  EXPECT_EQ(folder["commits"].size(), 2u) << "a folder's history too";
}

TEST_F(GitRoutes, BadRequestsAndOutsidePathsAreRefused) {
  EXPECT_EQ(git_history_answer("{}", dirs_, options_).status, 400);
  EXPECT_EQ(git_history_answer(json{{"path", repo_ + "/total.py"}, {"limit", 0}}.dump(), dirs_, options_).status, 400);
  const HttpResponse outside = git_history_answer(json{{"path", "/etc/passwd"}}.dump(), dirs_, options_);
  EXPECT_EQ(outside.status, 403);
  EXPECT_EQ(git_body(outside)["commits"], json::array());
  EXPECT_EQ(file_diff_answer(repo_ + "/../x", dirs_, options_).status, 403);
}

TEST_F(GitRoutes, BranchOfTheWorkingDirectory) {
  Options o = options_;
  char real[PATH_MAX];
  ASSERT_NE(::realpath(repo_.c_str(), real), nullptr);
  // git_branch runs in the directory a descriptor names.
  const int fd = ::open(real, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  EXPECT_EQ(git_branch(fd, o), "main");
  ::close(fd);
}

}  // namespace
}  // namespace hookbroker::mpm
