#include "file_routes.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <set>

#include "confined_path.hpp"
#include "git_routes.hpp"
#include "hookbroker/json_input.hpp"
#include "hookbroker/time.hpp"
#include "mpm_reply.hpp"

namespace hookbroker::mpm {
namespace {

/// Folders of tools and builds the file browser leaves out, as claude-mpm's does.
const std::set<std::string>& skipped_names() {
  static const std::set<std::string> names = {
      ".git",     "node_modules", "__pycache__", ".svelte-kit", "venv",  ".venv",     "dist",      "build",
      ".next",    ".cache",       ".pytest_cache", ".mypy_cache", ".ruff_cache", "eggs", ".tox",   ".nox",
      "htmlcov",  ".coverage"};
  return names;
}

bool skipped(const std::string& name) {
  static const std::string egg_info = ".egg-info";
  return skipped_names().count(name) != 0 ||
         (name.size() > egg_info.size() && name.compare(name.size() - egg_info.size(), egg_info.size(), egg_info) == 0);
}

/// The extension without its dot ("md"), "" when there is none.
std::string extension_of(const std::string& name) {
  const std::size_t dot = name.rfind('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == name.size()) return {};
  return name.substr(dot + 1);
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

/// The file's bytes, at most `max`; false when it has more (it may have grown
/// since it was measured).
bool read_at_most(int fd, std::size_t max, std::string& out) {
  char buffer[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return n == 0;
    if (out.size() + static_cast<std::size_t>(n) > max) return false;
    out.append(buffer, static_cast<std::size_t>(n));
  }
}

std::string too_large(std::size_t size, const Options& options) {
  return "File too large (" + std::to_string(size) + " bytes; the limit is " + std::to_string(options.max_file_bytes) +
         " bytes): raise plugins.mpm_compat.config.max_file_bytes";
}

}  // namespace

HttpResponse working_directory_answer(const SessionDirs& dirs) {
  return mpm_ok({{"working_directory", dirs.reported.empty() ? std::string() : dirs.reported.front()},
                 {"working_directories", dirs.reported}});
}

HttpResponse read_file_answer(const std::string& path, const SessionDirs& dirs, const Options& options) {
  Confined file = open_confined(path, dirs, Want::File);
  if (!file.ok()) return mpm_error(file.status, file.error);
  const auto size = static_cast<std::size_t>(file.st.st_size);
  if (size > options.max_file_bytes) return mpm_error(413, too_large(size, options));
  std::string content;
  if (!read_at_most(file.fd.get(), options.max_file_bytes, content))
    return mpm_error(413, too_large(options.max_file_bytes + 1, options));

  nlohmann::json body = {{"success", true},
                         {"path", path},
                         {"content", content},
                         {"lines", std::count(content.begin(), content.end(), '\n') + 1},
                         {"size", content.size()},
                         {"type", extension_of(file.name).empty() ? "text" : extension_of(file.name)}};
  HttpResponse r;
  try {
    r.body = body.dump();  // strict: text that is not UTF-8 is not a text file
  } catch (const nlohmann::json::type_error&) {
    return mpm_error(415, "File is not a text file (not UTF-8): \"" + path + "\"");
  }
  return r;
}

HttpResponse post_file_answer(const std::string& body, const SessionDirs& dirs, const Options& options) {
  JsonInput input = parse_json_input(body);
  const auto path = input.ok && input.value.is_object() ? input.value.find("path") : input.value.end();
  if (!input.ok || !input.value.is_object() || path == input.value.end() || !path->is_string())
    return mpm_error(400, input.ok ? "the body must be {\"path\": \"/absolute/file\"}" : input.error);
  return read_file_answer(path->get<std::string>(), dirs, options);
}

HttpResponse list_directory_answer(const std::string& path, const SessionDirs& dirs, const Options& options) {
  const std::string requested = path.empty() && !dirs.reported.empty() ? dirs.reported.front() : path;
  Confined dir = open_confined(requested, dirs, Want::Directory);
  if (!dir.ok()) return mpm_error(dir.status, dir.error);
  // fdopendir takes the descriptor over; the copy keeps `dir` closing its own.
  DIR* stream = ::fdopendir(::fcntl(dir.fd.get(), F_DUPFD_CLOEXEC, 0));
  if (!stream) return mpm_error(500, "cannot read the directory \"" + requested + "\"");

  nlohmann::json directories = nlohmann::json::array(), files = nlohmann::json::array();
  bool truncated = false;
  std::size_t listed = 0;
  while (const dirent* entry = ::readdir(stream)) {
    const std::string name = entry->d_name;
    if (name == "." || name == ".." || skipped(name)) continue;
    struct stat st {};
    if (::fstatat(::dirfd(stream), entry->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
    const bool is_dir = S_ISDIR(st.st_mode);
    if (!is_dir && !S_ISREG(st.st_mode)) continue;  // symlinks, devices, sockets
    if (listed == options.max_list_entries) {
      truncated = true;
      break;
    }
    ++listed;
    const double modified = static_cast<double>(st.st_mtim.tv_sec) + static_cast<double>(st.st_mtim.tv_nsec) / 1e9;
    const std::string ext = extension_of(name);
    nlohmann::json item = {{"name", name},
                           {"path", dir.path + "/" + name},
                           {"type", is_dir ? "directory" : "file"},
                           {"size", is_dir ? 0 : static_cast<std::int64_t>(st.st_size)},
                           {"modified", modified},
                           {"extension", is_dir ? nlohmann::json(nullptr) : nlohmann::json(ext)}};
    (is_dir ? directories : files).push_back(std::move(item));
  }
  ::closedir(stream);
  auto by_name = [](const nlohmann::json& a, const nlohmann::json& b) {
    return lower(a["name"].get<std::string>()) < lower(b["name"].get<std::string>());
  };
  std::sort(directories.begin(), directories.end(), by_name);
  std::sort(files.begin(), files.end(), by_name);
  const std::size_t total_directories = directories.size(), total_files = files.size();
  return mpm_ok({{"path", requested},
                 {"directories", std::move(directories)},
                 {"files", std::move(files)},
                 {"total_directories", total_directories},
                 {"total_files", total_files},
                 {"truncated", truncated}});
}

HttpResponse config_answer(const SessionDirs& dirs, const Options& options) {
  std::string branch = "Unknown";
  if (!dirs.reported.empty()) {
    Confined dir = open_confined(dirs.reported.front(), dirs, Want::Directory);
    if (dir.ok()) branch = git_branch(dir.fd.get(), options);
  }
  return mpm_ok({{"workingDirectory", dirs.reported.empty() ? std::string() : dirs.reported.front()},
                 {"gitBranch", branch},
                 {"serverTime", now_iso8601_utc()},
                 {"service", "unified-monitor"}});
}

}  // namespace hookbroker::mpm
