#include "spool/spool_scan.hpp"

#include <fcntl.h>
#include <unistd.h>

namespace hookbroker::spool {
namespace {

std::string read_whole(const std::string& path) {
  std::string data;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return data;
  char buffer[65536];
  ssize_t n;
  while ((n = ::read(fd, buffer, sizeof buffer)) > 0) data.append(buffer, static_cast<std::size_t>(n));
  ::close(fd);
  return data;
}

}  // namespace

void for_each_record(const std::string& path, const std::function<void(const ScannedRecord&)>& fn) {
  const std::string data = read_whole(path);
  RecordScanner scanner(data);
  ScannedRecord record;
  std::string problem;
  for (;;) {
    const auto item = scanner.next(record, problem);
    if (item == RecordScanner::Item::End || item == RecordScanner::Item::Incomplete) break;
    if (item == RecordScanner::Item::Record) fn(record);
  }
}

std::size_t count_records(const std::string& path) {
  std::size_t count = 0;
  for_each_record(path, [&](const ScannedRecord&) { ++count; });
  return count;
}

std::vector<std::string> waiting_event_ids(const SpoolDir& dir) {
  std::vector<std::string> ids;
  auto collect = [&](const ScannedRecord& record) { ids.push_back(record.meta.event_id); };
  for_each_record(dir.draining_path(), collect);
  for_each_record(dir.active_path(), collect);
  return ids;
}

}  // namespace hookbroker::spool
