// A program run for a route: fixed argv, given directory and environment,
// none of the broker's descriptors, killed at its deadline or output cap.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <climits>
#include <cstdlib>
#include <sstream>

#include "bounded_process.hpp"
#include "confined_path.hpp"
#include "temp_dir.hpp"

namespace hookbroker::mpm {
namespace {

using namespace std::chrono_literals;
using Outcome = ProcessResult::Outcome;

const std::vector<std::string> kPath = {"PATH=/usr/bin:/bin"};

TEST(BoundedProcess, CollectsStdoutAndTheExitCode) {
  const auto r = run_bounded({"sh", "-c", "printf hello; printf oops >&2; exit 3"}, -1, {}, kPath);
  ASSERT_EQ(r.outcome, Outcome::Exited) << r.error;
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.output, "hello") << "stderr is not mixed in";
}

TEST(BoundedProcess, RunsInTheDirectoryItIsGivenWithExactlyTheEnvironmentGiven) {
  hbtest::TempDir dir;
  char real[PATH_MAX];
  ASSERT_NE(::realpath(dir.path().c_str(), real), nullptr);
  UniqueFd fd(::open(real, O_PATH | O_DIRECTORY | O_CLOEXEC));
  const auto r = run_bounded({"sh", "-c", "pwd -P; env | grep -c ."}, fd.get(), {},
                             {"PATH=/usr/bin:/bin", "ONLY=this"});
  ASSERT_EQ(r.outcome, Outcome::Exited) << r.error;
  std::istringstream lines(r.output);
  std::string cwd, count;
  std::getline(lines, cwd);
  std::getline(lines, count);
  EXPECT_EQ(cwd, real);
  EXPECT_LE(std::stoi(count), 4) << r.output;  // ours, plus what sh itself exports (PWD, SHLVL)
}

TEST(BoundedProcess, InheritsNoDescriptorOfOurs) {
  hbtest::TempDir dir;
  const int leaked = ::open(dir.path().c_str(), O_RDONLY | O_DIRECTORY);  // deliberately without O_CLOEXEC
  ASSERT_GE(leaked, 0);
  ASSERT_EQ(::dup2(leaked, 57), 57);
  const auto r = run_bounded({"ls", "/proc/self/fd"}, -1, {}, kPath);
  ::close(57);
  ::close(leaked);
  ASSERT_EQ(r.outcome, Outcome::Exited) << r.error;
  std::istringstream fds(r.output);
  for (std::string fd; fds >> fd;) EXPECT_LE(std::stoi(fd), 3) << r.output;  // 0-2, and ls's own listing
}

TEST(BoundedProcess, IsKilledAtItsDeadline) {
  const auto start = std::chrono::steady_clock::now();
  const auto r = run_bounded({"sleep", "10"}, -1, {200ms, 1024}, kPath);
  EXPECT_EQ(r.outcome, Outcome::TimedOut);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
}

TEST(BoundedProcess, IsKilledAtItsDeadlineAlsoAfterClosingStdout) {
  const auto start = std::chrono::steady_clock::now();
  const auto r = run_bounded({"sh", "-c", "exec >&-; sleep 10"}, -1, {300ms, 1024}, kPath);
  EXPECT_EQ(r.outcome, Outcome::TimedOut);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
}

TEST(BoundedProcess, IsKilledWhenItsOutputPassesTheCap) {
  const auto r = run_bounded({"yes"}, -1, {5000ms, 4096}, kPath);
  EXPECT_EQ(r.outcome, Outcome::OutputTooLarge);
  EXPECT_LE(r.output.size(), 4096u);
}

TEST(BoundedProcess, SaysWhenItCannotStart) {
  const auto r = run_bounded({"no-such-program-for-hookbroker"}, -1, {}, kPath);
  EXPECT_EQ(r.outcome, Outcome::NotStarted);
  EXPECT_NE(r.error.find("no-such-program-for-hookbroker"), std::string::npos) << r.error;
}

}  // namespace
}  // namespace hookbroker::mpm
