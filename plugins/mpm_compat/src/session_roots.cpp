#include "session_roots.hpp"

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <memory>

#include <sys/stat.h>

namespace hookbroker::mpm {
namespace {

void add_once(std::vector<std::string>& list, const std::string& value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(value);
}

}  // namespace

bool is_within(const std::string& path, const std::string& root) {
  if (root.empty() || path.compare(0, root.size(), root) != 0) return false;
  return path.size() == root.size() || root.back() == '/' || path[root.size()] == '/';
}

SessionDirs session_dirs(const SessionTracker* tracker) {
  SessionDirs dirs;
  if (!tracker) return dirs;
  const nlohmann::json sessions = tracker->list();
  if (!sessions.is_array()) return dirs;
  for (const auto& s : sessions) {
    const auto cwd = s.is_object() ? s.find("cwd") : s.end();
    if (cwd == s.end() || !cwd->is_string() || cwd->get_ref<const std::string&>().empty()) continue;
    const std::string& reported = cwd->get_ref<const std::string&>();
    if (reported.front() != '/') continue;  // Claude Code reports absolute paths
    add_once(dirs.reported, reported);
    std::unique_ptr<char, decltype(&std::free)> resolved(::realpath(reported.c_str(), nullptr), &std::free);
    struct stat st {};
    if (!resolved || std::string(resolved.get()) == "/" || ::stat(resolved.get(), &st) != 0 || !S_ISDIR(st.st_mode))
      continue;
    add_once(dirs.canonical, resolved.get());
  }
  return dirs;
}

}  // namespace hookbroker::mpm
