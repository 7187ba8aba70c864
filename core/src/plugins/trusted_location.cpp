#include "plugins/trusted_location.hpp"

#include <pwd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace hookbroker::core {
namespace {

bool trusted_owner(uid_t owner, uid_t user) { return owner == 0 || owner == user; }

std::string mode_text(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

/// "group", "others" or "group and others"; "" when neither may write.
std::string writers(mode_t mode) {
  const bool group = (mode & S_IWGRP) != 0, others = (mode & S_IWOTH) != 0;
  return group && others ? "group and others" : group ? "group" : others ? "others" : "";
}

std::string trusted_users(uid_t user) {
  return user == 0 ? "root, who runs the broker" : "root or " + user_label(user) + ", who runs the broker";
}

/// The name `chown` takes for `uid`.
std::string owner_argument(uid_t uid) {
  const std::string label = user_label(uid);
  const auto space = label.find(' ');
  return label.rfind("uid ", 0) == 0 ? std::to_string(uid) : label.substr(0, space);
}

/// The owner and write-permission problems of one file or directory that
/// must be exactly the trusted users' own; `named` is e.g. "plugin file /x.so"
/// and `consequence` what write access would let others do.
void add_own_problems(std::vector<LocationProblem>& problems, const std::string& path, const struct stat& st,
                      uid_t user, const std::string& named, const std::string& consequence) {
  if (!trusted_owner(st.st_uid, user))
    problems.push_back({path, named + " is owned by " + user_label(st.st_uid) + ", not by " + trusted_users(user),
                        "chown " + owner_argument(user) + " " + shell_quoted(path)});
  if (const std::string who = writers(st.st_mode); !who.empty())
    problems.push_back({path, named + " is writable by " + who + " (mode " + mode_text(st.st_mode) + "), so they " +
                                  consequence,
                        "chmod go-w " + shell_quoted(path)});
}

LocationProblem unreadable(const std::string& path, int error) {
  return {path, "cannot check " + path + ": " + std::strerror(error),
          "make sure it exists and the broker's user may read it"};
}

}  // namespace

std::string LocationProblem::text() const { return problem + "; fix: " + fix; }

std::string user_label(uid_t uid) {
  struct passwd entry;
  struct passwd* found = nullptr;
  char buffer[4096];
  if (getpwuid_r(uid, &entry, buffer, sizeof buffer, &found) == 0 && found != nullptr && found->pw_name != nullptr)
    return std::string(found->pw_name) + " (uid " + std::to_string(uid) + ")";
  return "uid " + std::to_string(uid);
}

std::string shell_quoted(const std::string& path) {
  const bool plain = !path.empty() && path.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                             "0123456789/._-+:,@%") == std::string::npos;
  if (plain) return path;
  std::string quoted = "'";
  for (char c : path) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

std::vector<LocationProblem> directory_problems(const std::string& real_dir, uid_t user, const std::string& role) {
  namespace fs = std::filesystem;
  std::vector<LocationProblem> problems;
  const fs::path dir(real_dir);
  struct stat st;
  if (::lstat(dir.c_str(), &st) != 0) return {unreadable(real_dir, errno)};
  const std::string named = role + " " + real_dir;
  add_own_problems(problems, real_dir, st, user, named, "can add or replace plugins in it");

  // Whoever can rename an entry of a directory above can swap the plugin
  // directory (or one between) for another of their making.
  fs::path child = dir;
  for (fs::path above = dir.parent_path(); above != child; child = above, above = above.parent_path()) {
    if (::lstat(above.c_str(), &st) != 0) {
      problems.push_back(unreadable(above.string(), errno));
      break;
    }
    const std::string where = above.string() + ", above " + named + ",";
    const std::string consequence = " can rename " + child.string() + " and put another in its place";
    if (!trusted_owner(st.st_uid, user))
      problems.push_back({above.string(),
                          where + " is owned by " + user_label(st.st_uid) + ", not by " + trusted_users(user) +
                              ": that user" + consequence,
                          "keep plugins in a directory whose parents belong to root or " + user_label(user)});
    const bool sticky = (st.st_mode & S_ISVTX) != 0;
    if (const std::string who = writers(st.st_mode); !who.empty() && !sticky)
      problems.push_back({above.string(),
                          where + " is writable by " + who + " without the sticky bit (mode " +
                              mode_text(st.st_mode) + "): they" + consequence,
                          "chmod go-w " + shell_quoted(above.string()) + " (or chmod +t " +
                              shell_quoted(above.string()) + ")"});
  }
  return problems;
}

std::vector<LocationProblem> file_problems(const std::string& real_path, const struct stat& file, uid_t user) {
  std::vector<LocationProblem> problems;
  add_own_problems(problems, real_path, file, user, "plugin file " + real_path, "can change the code the broker runs");
  return problems;
}

}  // namespace hookbroker::core
