#include "accepted_ids.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

#include "platform/private_files.hpp"
#include "spool/spool_dir.hpp"

namespace hookbroker::spool_replay {
namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

AcceptedIds::~AcceptedIds() {
  if (fd_ >= 0) ::close(fd_);
}

bool AcceptedIds::parse_id(const std::string& text, std::pair<uint64_t, uint64_t>& out) {
  if (text.size() != 32) return false;
  uint64_t halves[2] = {0, 0};
  for (std::size_t i = 0; i < 32; ++i) {
    const int d = hex_digit(text[i]);
    if (d < 0) return false;
    halves[i / 16] = halves[i / 16] << 4 | static_cast<uint64_t>(d);
  }
  out = {halves[0], halves[1]};
  return true;
}

void AcceptedIds::load_file(const std::string& path, std::size_t* lines) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  std::string text;
  char buf[65536];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) text.append(buf, static_cast<std::size_t>(n));
  ::close(fd);
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();  // a line cut by a crash: parse_id refuses it
    std::pair<uint64_t, uint64_t> id;
    if (parse_id(text.substr(pos, end - pos), id)) loaded_.push_back(id);
    if (lines) ++*lines;
    pos = end + 1;
  }
}

bool AcceptedIds::open(std::string& error) {
  if (!platform::make_private_directories(dir_, error)) return false;
  load_file(previous_path(), nullptr);
  load_file(current_path(), &lines_);
  std::sort(loaded_.begin(), loaded_.end());
  loaded_.erase(std::unique(loaded_.begin(), loaded_.end()), loaded_.end());
  fd_ = ::open(current_path().c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0) {
    error = "open " + current_path() + ": " + std::strerror(errno);
    return false;
  }
  return true;
}

bool AcceptedIds::accepted_before(const std::string& id) const {
  std::pair<uint64_t, uint64_t> key;
  return parse_id(id, key) && std::binary_search(loaded_.begin(), loaded_.end(), key);
}

void AcceptedIds::record(const std::string& id) {
  std::pair<uint64_t, uint64_t> key;
  if (!parse_id(id, key)) return;
  std::lock_guard<std::mutex> lock(mutex_);
  if (fd_ < 0) return;
  if (lines_ >= keep_) {
    // Rotate: the previous generation is still loaded at the next start.
    if (::rename(current_path().c_str(), previous_path().c_str()) == 0) {
      ::close(fd_);
      fd_ = ::open(current_path().c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
      lines_ = 0;
      if (fd_ < 0) return;
    }
  }
  char line[33];
  std::memcpy(line, id.data(), 32);
  line[32] = '\n';
  if (::write(fd_, line, sizeof line) == static_cast<ssize_t>(sizeof line)) ++lines_;
}

}  // namespace hookbroker::spool_replay
