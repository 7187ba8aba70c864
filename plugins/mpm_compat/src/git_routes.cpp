#include "git_routes.hpp"

#include <sys/stat.h>

#include <algorithm>

#include "bounded_process.hpp"
#include "confined_path.hpp"
#include "hookbroker/json_input.hpp"
#include "mpm_reply.hpp"

namespace hookbroker::mpm {
namespace {

constexpr int kDefaultCommits = 10;
constexpr int kMaxCommits = 100;

std::vector<std::string> git(std::initializer_list<std::string> command) {
  std::vector<std::string> argv = {"git",          "--no-pager",        "--literal-pathspecs", "-c",
                                   "core.fsmonitor=false", "-c", "color.ui=false"};
  argv.insert(argv.end(), command.begin(), command.end());
  return argv;
}

/// The broker's environment without git's own variables (a GIT_DIR of the
/// broker's would point every run at one repository), plus what keeps git
/// from prompting, taking locks or translating its dates.
std::vector<std::string> git_environment() {
  std::vector<std::string> env;
  for (auto& e : current_environment())
    if (e.rfind("GIT_", 0) != 0 && e.rfind("LC_ALL=", 0) != 0) env.push_back(std::move(e));
  env.insert(env.end(), {"GIT_TERMINAL_PROMPT=0", "GIT_OPTIONAL_LOCKS=0", "LC_ALL=C"});
  return env;
}

ProcessResult run_git(const std::vector<std::string>& argv, int dir_fd, const Options& options) {
  return run_bounded(argv, dir_fd, ProcessLimits{options.git_timeout, options.max_git_output_bytes},
                     git_environment());
}

/// The error answer for a git run that did not give an answer, or nullopt-like
/// status 0 when it did.
HttpResponse git_failure(const ProcessResult& r, const Options& options, const nlohmann::json& extra) {
  switch (r.outcome) {
    case ProcessResult::Outcome::NotStarted:
      return mpm_error(503, "git could not be run (" + r.error + "): install git for diffs and history", extra);
    case ProcessResult::Outcome::TimedOut:
      return mpm_error(504,
                       "git took longer than " + std::to_string(options.git_timeout.count()) +
                           " ms and was stopped: raise plugins.mpm_compat.config.git_timeout_ms",
                       extra);
    case ProcessResult::Outcome::OutputTooLarge:
      return mpm_error(413,
                       "git's answer is over " + std::to_string(options.max_git_output_bytes) +
                           " bytes: raise plugins.mpm_compat.config.max_git_output_bytes",
                       extra);
    default:
      return mpm_error(500, "git ended abnormally", extra);
  }
}

bool answered(const ProcessResult& r) { return r.outcome == ProcessResult::Outcome::Exited; }

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) return parts;
    start = end + 1;
  }
}

}  // namespace

HttpResponse file_diff_answer(const std::string& path, const SessionDirs& dirs, const Options& options) {
  const nlohmann::json empty = {{"diff", ""}, {"has_changes", false}};
  Confined file = open_confined(path, dirs, Want::File);
  if (!file.ok()) return mpm_error(file.status, file.error, empty);

  const ProcessResult tracked = run_git(git({"ls-files", "--error-unmatch", "--", file.name}), file.parent.get(), options);
  if (!answered(tracked)) return git_failure(tracked, options, empty);
  if (tracked.exit_code != 0)  // untracked, or not in a repository at all
    return mpm_ok({{"diff", ""}, {"has_changes", false}, {"tracked", false}});

  const ProcessResult diff =
      run_git(git({"diff", "--no-ext-diff", "--no-textconv", "--no-color", "HEAD", "--", file.name}),
              file.parent.get(), options);
  if (!answered(diff)) return git_failure(diff, options, empty);
  const std::string text = diff.exit_code == 0 ? diff.output : std::string();
  const bool changed = text.find_first_not_of(" \t\r\n") != std::string::npos;
  return mpm_ok({{"diff", text}, {"has_changes", changed}, {"tracked", true}});
}

HttpResponse git_history_answer(const std::string& body, const SessionDirs& dirs, const Options& options) {
  const nlohmann::json none = {{"commits", nlohmann::json::array()}};
  JsonInput input = parse_json_input(body);
  if (!input.ok || !input.value.is_object())
    return mpm_error(400, input.ok ? "the body must be a JSON object like {\"path\": \"/abs/file\", \"limit\": 10}"
                                   : input.error,
                     none);
  const auto path = input.value.find("path");
  if (path == input.value.end() || !path->is_string() || path->get_ref<const std::string&>().empty())
    return mpm_error(400, "No path provided: send {\"path\": \"/abs/file\"}", none);
  int limit = kDefaultCommits;
  if (const auto l = input.value.find("limit"); l != input.value.end() && !l->is_null()) {
    if (!l->is_number_integer() || l->get<long long>() < 1 || l->get<long long>() > kMaxCommits)
      return mpm_error(400, "\"limit\" must be a whole number from 1 to " + std::to_string(kMaxCommits), none);
    limit = l->get<int>();
  }
  Confined target = open_confined(path->get<std::string>(), dirs, Want::Any);
  if (!target.ok()) return mpm_error(target.status, target.error, none);

  // A folder's history is asked from inside it (it may be the repository's
  // top, whose parent is no repository); a file's from its folder.
  const bool folder = S_ISDIR(target.st.st_mode);
  const ProcessResult log = run_git(git({"log", "-n", std::to_string(limit), "--no-color",
                                         "--pretty=format:%H%x1f%an%x1f%ar%x1f%s", "--", folder ? "." : target.name}),
                                    folder ? target.fd.get() : target.parent.get(), options);
  if (!answered(log)) return git_failure(log, options, none);
  nlohmann::json commits = nlohmann::json::array();
  if (log.exit_code == 0)
    for (const auto& line : split(log.output, '\n')) {
      const auto fields = split(line, '\x1f');
      if (fields.size() != 4) continue;
      commits.push_back(
          {{"hash", fields[0].substr(0, 7)}, {"author", fields[1]}, {"date", fields[2]}, {"message", fields[3]}});
    }
  return mpm_ok({{"commits", std::move(commits)}});
}

std::string git_branch(int dir_fd, const Options& options) {
  const ProcessResult r = run_git(git({"branch", "--show-current"}), dir_fd, options);
  std::string branch = answered(r) && r.exit_code == 0 ? r.output : std::string();
  while (!branch.empty() && (branch.back() == '\n' || branch.back() == '\r')) branch.pop_back();
  return branch.empty() ? "Unknown" : branch;
}

}  // namespace hookbroker::mpm
