#include "accepted_ids.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

#include "platform/private_files.hpp"

namespace hookbroker::spool_replay {
namespace {

/// The journal is left alone until it holds this many lines.
constexpr std::size_t kCompactAfterLines = 1024;
constexpr std::size_t kIdLength = 32;
constexpr const char* kReplayedSuffix = " r";

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::string errno_text(const std::string& what) { return what + ": " + std::strerror(errno); }

bool write_all(int fd, const std::string& data) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

void append_line(std::string& out, const std::string& id, std::uint8_t ways) {
  out += id;
  if (ways & static_cast<std::uint8_t>(AcceptedIds::Way::Replayed)) out += kReplayedSuffix;
  out += '\n';
}

std::string id_text(const std::pair<uint64_t, uint64_t>& key) {
  static const char digits[] = "0123456789abcdef";
  std::string text(kIdLength, '0');
  for (std::size_t i = 0; i < kIdLength; ++i) {
    const uint64_t half = i < 16 ? key.first : key.second;
    text[i] = digits[(half >> (4 * (15 - i % 16))) & 0xf];
  }
  return text;
}

}  // namespace

AcceptedIds::~AcceptedIds() {
  if (fd_ >= 0) ::close(fd_);
}

bool AcceptedIds::parse_id(const std::string& text, std::pair<uint64_t, uint64_t>& out) {
  if (text.size() != kIdLength) return false;
  uint64_t halves[2] = {0, 0};
  for (std::size_t i = 0; i < kIdLength; ++i) {
    const int d = hex_digit(text[i]);
    if (d < 0) return false;
    halves[i / 16] = halves[i / 16] << 4 | static_cast<uint64_t>(d);
  }
  out = {halves[0], halves[1]};
  return true;
}

void AcceptedIds::load_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  std::string text;
  char buf[65536];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) text.append(buf, static_cast<std::size_t>(n));
  ::close(fd);
  const auto now = std::chrono::steady_clock::now();
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();  // a line cut by a crash: parse_id refuses it
    std::string line = text.substr(pos, end - pos);
    std::uint8_t ways = static_cast<std::uint8_t>(Way::Live);
    if (line.size() == kIdLength + 2 && line.compare(kIdLength, 2, kReplayedSuffix) == 0) {
      ways = static_cast<std::uint8_t>(Way::Replayed);
      line.resize(kIdLength);
    }
    Key key;
    if (parse_id(line, key)) {
      loaded_.emplace_back(key, ways);
      // Ids of earlier runs count as written now: a forwarder that was
      // waiting for the broker that died spools within its timeout.
      journal_.push_back({key, ways, now});
    }
    pos = end + 1;
  }
}

bool AcceptedIds::open(std::string& error) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!loaded_once_) {
    loaded_once_ = true;
    load_file(previous_path());
    load_file(current_path());
    std::sort(loaded_.begin(), loaded_.end());
    // One entry per id, its ways merged.
    std::vector<std::pair<Key, std::uint8_t>> merged;
    for (const auto& [key, ways] : loaded_) {
      if (!merged.empty() && merged.back().first == key) merged.back().second |= ways;
      else merged.emplace_back(key, ways);
    }
    loaded_ = std::move(merged);
    kept_at_compaction_ = journal_.size();
  }
  if (fd_ >= 0) return true;
  if (!platform::make_private_directories(dir_, error)) return false;
  ::unlink(compacting_path().c_str());  // left by a compaction a crash interrupted; the journal is whole
  return open_journal(error);
}

bool AcceptedIds::open_journal(std::string& error) {
  fd_ = ::open(current_path().c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0) {
    error = errno_text("open " + current_path());
    return false;
  }
  return true;
}

bool AcceptedIds::writable() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return fd_ >= 0;
}

bool AcceptedIds::accepted_before(const std::string& id, bool maybe_delivered) const {
  Key key;
  if (!parse_id(id, key)) return false;
  const auto it = std::lower_bound(loaded_.begin(), loaded_.end(), std::make_pair(key, std::uint8_t{0}));
  if (it == loaded_.end() || it->first != key) return false;
  return maybe_delivered || (it->second & static_cast<std::uint8_t>(Way::Replayed));
}

bool AcceptedIds::record(const std::string& id, Way way, std::string* error) {
  Key key;
  if (!parse_id(id, key)) return true;  // not a forwarder id: nothing to keep
  std::string line;
  append_line(line, id, static_cast<std::uint8_t>(way));
  std::lock_guard<std::mutex> lock(mutex_);
  if (fd_ < 0) {
    if (error) *error = "the journal " + current_path() + " is not open";
    return false;
  }
  if (!write_all(fd_, line)) {
    if (error) *error = errno_text("write " + current_path());
    ::close(fd_);
    fd_ = -1;
    return false;
  }
  journal_.push_back({key, static_cast<std::uint8_t>(way), std::chrono::steady_clock::now()});
  return true;
}

bool AcceptedIds::compaction_due() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return fd_ >= 0 && journal_.size() >= std::max(kCompactAfterLines, 2 * kept_at_compaction_);
}

std::size_t AcceptedIds::journal_count() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return journal_.size();
}

bool AcceptedIds::compact(const std::vector<std::string>& waiting, std::string& error) {
  std::vector<Key> spooled;
  for (const auto& id : waiting) {
    Key key;
    if (parse_id(id, key)) spooled.push_back(key);
  }
  std::sort(spooled.begin(), spooled.end());

  // The slow part (sorting, writing, fsync) runs without the lock: record()
  // runs on the sink's strand, and every event's acknowledgement waits for it.
  std::lock_guard<std::mutex> one_at_a_time(compact_mutex_);
  std::vector<Entry> entries;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (fd_ < 0) {
      error = "the journal " + current_path() + " is not open";
      return false;
    }
    entries = journal_;
  }
  const std::size_t snapshot = entries.size();
  // One entry per id: its ways merged, its latest time.
  std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.key < b.key; });
  std::vector<Entry> kept;
  const auto cutoff = std::chrono::steady_clock::now() - window_;
  for (std::size_t i = 0; i < entries.size();) {
    Entry merged = entries[i];
    for (++i; i < entries.size() && entries[i].key == merged.key; ++i) {
      merged.ways |= entries[i].ways;
      merged.at = std::max(merged.at, entries[i].at);
    }
    if (merged.at >= cutoff || std::binary_search(spooled.begin(), spooled.end(), merged.key))
      kept.push_back(merged);
  }
  std::stable_sort(kept.begin(), kept.end(), [](const Entry& a, const Entry& b) { return a.at < b.at; });
  if (kept.size() > keep_) kept.erase(kept.begin(), kept.end() - static_cast<std::ptrdiff_t>(keep_));

  std::string text;
  text.reserve(kept.size() * (kIdLength + 3));
  for (const auto& entry : kept) append_line(text, id_text(entry.key), entry.ways);

  // A new file, complete before it replaces the old one: a crash at any
  // point leaves one whole journal.
  const std::string tmp = compacting_path();
  const int out = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (out < 0) {
    error = errno_text("open " + tmp);
    return false;
  }
  auto give_up = [&](const std::string& what) {
    error = errno_text(what);
    ::close(out);
    ::unlink(tmp.c_str());
    return false;
  };
  if (!write_all(out, text) || ::fsync(out) != 0) return give_up("write " + tmp);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (fd_ < 0) return give_up("the journal was closed meanwhile; write " + current_path());
    // Ids recorded while the copy was written go in too, as they went into
    // the journal: written, not fsynced.
    std::string tail;
    for (std::size_t i = snapshot; i < journal_.size(); ++i) {
      append_line(tail, id_text(journal_[i].key), journal_[i].ways);
      kept.push_back(journal_[i]);
    }
    if (!write_all(out, tail)) return give_up("write " + tmp);
    ::close(out);
    if (::rename(tmp.c_str(), current_path().c_str()) != 0) {
      error = errno_text("rename " + tmp);
      ::unlink(tmp.c_str());
      return false;
    }
    ::close(fd_);
    journal_ = std::move(kept);
    kept_at_compaction_ = journal_.size();
    if (!open_journal(error)) return false;
  }
  if (const int dir = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir >= 0) {
    ::fsync(dir);  // the rename itself survives a power loss too
    ::close(dir);
  }
  ::unlink(previous_path().c_str());  // its ids that are still needed are in the new journal
  return true;
}

}  // namespace hookbroker::spool_replay
