#include "claude_settings/settings_document.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace hookbroker::claude_settings {
namespace {

namespace fs = std::filesystem;

/// The whitespace that indents the first nested line: "  ", "    " or "\t".
std::string detect_indent(const std::string& text) {
  std::size_t pos = text.find('\n');
  while (pos != std::string::npos && pos + 1 < text.size()) {
    std::size_t end = pos + 1;
    while (end < text.size() && (text[end] == ' ' || text[end] == '\t')) ++end;
    if (end > pos + 1 && end < text.size() && text[end] != '\n') return text.substr(pos + 1, end - pos - 1);
    pos = text.find('\n', pos + 1);
  }
  return "  ";
}

std::string utc_stamp() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d%02d%02dT%02d%02d%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

bool write_file_synced(const std::string& path, const std::string& content, mode_t mode, std::string& error) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) {
    error = "cannot create " + path + ": " + std::strerror(errno);
    return false;
  }
  std::size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error = "cannot write " + path + ": " + std::strerror(errno);
      ::close(fd);
      ::unlink(path.c_str());
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  ::fchmod(fd, mode);  // the umask must not narrow what the user had
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    error = "cannot flush " + path + ": " + std::strerror(errno);
    ::unlink(path.c_str());
    return false;
  }
  return true;
}

}  // namespace

std::string SettingsDocument::render() const {
  // A serializer cannot reproduce a person's formatting. When an earlier
  // backup of this very file holds exactly this JSON (the usual case after
  // --uninstall), its bytes are the faithful rendering.
  if (!restorable_text.empty()) return restorable_text;
  const bool tabs = !indent.empty() && indent[0] == '\t';
  std::string text = json.dump(static_cast<int>(indent.empty() ? 2 : indent.size()), tabs ? '\t' : ' ');
  if (trailing_newline) text += '\n';
  return text;
}

void prefer_backup_text(SettingsDocument& document) {
  document.restorable_text.clear();
  std::error_code ec;
  const fs::path path(document.path);
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  const std::string prefix = path.filename().string() + ".hookbroker-backup-";
  std::vector<fs::path> backups;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->path().filename().string().rfind(prefix, 0) == 0) backups.push_back(it->path());
  std::sort(backups.begin(), backups.end());  // names sort by time
  for (auto b = backups.rbegin(); b != backups.rend(); ++b) {
    std::ifstream in(*b, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    nlohmann::ordered_json parsed;
    if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
      parsed = nlohmann::ordered_json::object();
    } else {
      parsed = nlohmann::ordered_json::parse(text, nullptr, false);
      if (parsed.is_discarded()) continue;
    }
    if (parsed == document.json) {
      document.restorable_text = std::move(text);
      return;
    }
  }
}

LoadResult load_settings(const std::string& path) {
  LoadResult result;
  SettingsDocument& doc = result.document;
  doc.path = path;
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    result.ok = true;  // a missing file is an empty one
    return result;
  }
  if (fs::is_directory(path, ec)) {
    result.error = path + " is a directory, not a settings file";
    return result;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    result.error = "cannot read " + path + ": " + std::strerror(errno);
    return result;
  }
  doc.existed = true;
  doc.original_text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  if (doc.original_text.find_first_not_of(" \t\r\n") == std::string::npos) {
    result.ok = true;  // empty: Claude Code treats it as no settings
    return result;
  }
  try {
    doc.json = nlohmann::ordered_json::parse(doc.original_text);
  } catch (const nlohmann::json::parse_error& e) {
    std::string what = e.what();
    const auto pos = what.find("] ");
    result.error = path + " is not valid JSON (" + (pos == std::string::npos ? what : what.substr(pos + 2)) +
                   "). Nothing was changed: fix the file (or move it away) and run again.";
    return result;
  }
  if (!doc.json.is_object()) {
    result.error = path + " holds JSON that is not an object (Claude Code settings are {...}). Nothing was changed.";
    return result;
  }
  doc.indent = detect_indent(doc.original_text);
  doc.trailing_newline = doc.original_text.back() == '\n';
  result.ok = true;
  return result;
}

SaveResult save_settings(const SettingsDocument& document) {
  SaveResult result;
  std::error_code ec;
  // A settings.json that is a symlink (dotfiles) is rewritten where it points.
  const bool symlink = fs::symlink_status(document.path, ec).type() == fs::file_type::symlink;
  ec.clear();
  const fs::path target = symlink ? fs::canonical(document.path, ec) : fs::path(document.path);
  if (ec) {
    result.error = "cannot follow the symlink " + document.path + ": " + ec.message();
    return result;
  }
  const std::string path = target.string();
  if (target.has_parent_path()) fs::create_directories(target.parent_path(), ec);
  if (ec) {
    result.error = "cannot create " + target.parent_path().string() + ": " + ec.message();
    return result;
  }
  mode_t mode = 0644;
  struct stat st;
  if (::stat(path.c_str(), &st) == 0) {
    mode = st.st_mode & 07777;
    // Back up what is on disk now, not what we read: never lose a byte.
    std::ifstream in(path, std::ios::binary);
    const std::string current((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::string backup = path + ".hookbroker-backup-" + utc_stamp();
    for (int n = 1; fs::exists(backup, ec); ++n) backup = path + ".hookbroker-backup-" + utc_stamp() + "-" + std::to_string(n);
    if (!write_file_synced(backup, current, mode, result.error)) return result;
    result.backup_path = backup;
  }
  const std::string temp = path + ".hookbroker-tmp-" + std::to_string(::getpid());
  ::unlink(temp.c_str());
  if (!write_file_synced(temp, document.render(), mode, result.error)) return result;
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    result.error = "cannot replace " + path + ": " + std::strerror(errno);
    ::unlink(temp.c_str());
    return result;
  }
  result.ok = true;
  return result;
}

}  // namespace hookbroker::claude_settings
