// claude-mpm's file routes, answered in its shapes from a real directory.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>

#include "file_routes.hpp"
#include "options.hpp"
#include "temp_dir.hpp"

namespace hookbroker::mpm {
namespace {

using nlohmann::json;

json body_of(const HttpResponse& r) { return json::parse(r.body); }

class FileRoutes : public ::testing::Test {
 protected:
  void SetUp() override {
    char real[PATH_MAX];
    ASSERT_NE(::realpath(dir_.path().c_str(), real), nullptr);
    project_ = std::string(real) + "/project";
    ASSERT_EQ(::mkdir(project_.c_str(), 0700), 0);
    for (const char* sub : {"/src", "/.git", "/node_modules", "/Docs"}) ASSERT_EQ(::mkdir((project_ + sub).c_str(), 0700), 0);
    hbtest::write_file(project_ + "/README.md", "# shop\nline 2\n");
    hbtest::write_file(project_ + "/app.py", "print('hi')\n");
    hbtest::write_file(project_ + "/image.bin", std::string("\x89PNG\r\n\x1a\n\xff\xfe", 10));
    hbtest::write_file(std::string(real) + "/secret.txt", "outside\n");
    ASSERT_EQ(::symlink("../secret.txt", (project_ + "/leak").c_str()), 0);
    dirs_.reported = {project_, "/home/elsewhere"};
    dirs_.canonical = {project_};
    options_ = Options::from_config(with_defaults(Options::table(), json::object()));
  }

  hbtest::TempDir dir_;
  std::string project_;
  SessionDirs dirs_;
  Options options_;
};

TEST_F(FileRoutes, WorkingDirectoryIsTheNewestSessionsAndAllAreListed) {
  const json body = body_of(working_directory_answer(dirs_));
  EXPECT_EQ(body["success"], true);
  EXPECT_EQ(body["working_directory"], project_);
  EXPECT_EQ(body["working_directories"], (json{project_, "/home/elsewhere"}));
  const json none = body_of(working_directory_answer(SessionDirs{}));
  EXPECT_EQ(none["working_directory"], "");
}

TEST_F(FileRoutes, ReadsATextFileInClaudeMpmsShape) {
  const HttpResponse r = read_file_answer(project_ + "/README.md", dirs_, options_);
  ASSERT_EQ(r.status, 200) << r.body;
  const json body = body_of(r);
  EXPECT_EQ(body["success"], true);
  EXPECT_EQ(body["path"], project_ + "/README.md");
  EXPECT_EQ(body["content"], "# shop\nline 2\n");
  EXPECT_EQ(body["lines"], 3);
  EXPECT_EQ(body["size"], 14);
  EXPECT_EQ(body["type"], "md");
  EXPECT_EQ(body_of(post_file_answer(json{{"path", project_ + "/app.py"}}.dump(), dirs_, options_))["type"], "py");
}

TEST_F(FileRoutes, RefusesWhatIsOutsideTooLargeOrNotText) {
  const HttpResponse outside = read_file_answer(project_ + "/leak", dirs_, options_);
  EXPECT_EQ(outside.status, 403);
  EXPECT_EQ(body_of(outside)["success"], false);
  EXPECT_NE(body_of(outside)["error"].get<std::string>().find("outside"), std::string::npos);
  EXPECT_EQ(read_file_answer(project_ + "/src/../README.md", dirs_, options_).status, 403);

  Options tiny = options_;
  tiny.max_file_bytes = 5;
  const HttpResponse big = read_file_answer(project_ + "/README.md", dirs_, tiny);
  EXPECT_EQ(big.status, 413);
  EXPECT_NE(body_of(big)["error"].get<std::string>().find("max_file_bytes"), std::string::npos);

  const HttpResponse binary = read_file_answer(project_ + "/image.bin", dirs_, options_);
  EXPECT_EQ(binary.status, 415);
  EXPECT_NE(body_of(binary)["error"].get<std::string>().find("not a text file"), std::string::npos);

  EXPECT_EQ(post_file_answer("{", dirs_, options_).status, 400);
  EXPECT_EQ(post_file_answer("{\"file\": 1}", dirs_, options_).status, 400);
}

TEST_F(FileRoutes, ListsDirectoriesFirstWithoutToolFoldersOrSymlinks) {
  const HttpResponse r = list_directory_answer(project_, dirs_, options_);
  ASSERT_EQ(r.status, 200) << r.body;
  const json body = body_of(r);
  EXPECT_EQ(body["path"], project_);
  std::vector<std::string> dirs, files;
  for (const auto& d : body["directories"]) dirs.push_back(d["name"]);
  for (const auto& f : body["files"]) files.push_back(f["name"]);
  EXPECT_EQ(dirs, (std::vector<std::string>{"Docs", "src"}));
  EXPECT_EQ(files, (std::vector<std::string>{"app.py", "image.bin", "README.md"}));
  EXPECT_EQ(body["total_directories"], 2);
  EXPECT_EQ(body["total_files"], 3);
  EXPECT_EQ(body["truncated"], false);
  const json& readme = body["files"][2];
  EXPECT_EQ(readme["path"], project_ + "/README.md");
  EXPECT_EQ(readme["type"], "file");
  EXPECT_EQ(readme["size"], 14);
  EXPECT_EQ(readme["extension"], "md");
  EXPECT_TRUE(readme["modified"].is_number());
  EXPECT_TRUE(body["directories"][0]["extension"].is_null());
}

TEST_F(FileRoutes, ListingDefaultsToTheNewestSessionAndStopsAtTheLimit) {
  Options two = options_;
  two.max_list_entries = 2;
  const json body = body_of(list_directory_answer("", dirs_, two));
  EXPECT_EQ(body["path"], project_);
  EXPECT_EQ(body["total_directories"].get<int>() + body["total_files"].get<int>(), 2);
  EXPECT_EQ(body["truncated"], true);
  EXPECT_EQ(list_directory_answer("/etc", dirs_, options_).status, 403);
  EXPECT_EQ(list_directory_answer(project_ + "/README.md", dirs_, options_).status, 400);
}

TEST_F(FileRoutes, ConfigNamesTheWorkingDirectoryAndABranch) {
  const json body = body_of(config_answer(dirs_, options_));
  EXPECT_EQ(body["workingDirectory"], project_);
  EXPECT_EQ(body["gitBranch"], "Unknown") << "not a repository";
  EXPECT_EQ(body["service"], "unified-monitor");
  EXPECT_TRUE(body["serverTime"].is_string());
}

}  // namespace
}  // namespace hookbroker::mpm
