// The spool's record format.
//
// A spool file is a sequence of records, each written by one write(2):
//
//   HBS1 <payload bytes> <crc32 hex8> <event id> <sent at> <flags>\n<payload>\n
//
// e.g. "HBS1 57 1c291ca3 9f0c...e1 2026-01-05T10:42:48.123Z -\n{...}\n".
// The header is text so a person can read a spool with `less`; the length
// makes the payload binary-safe; the CRC finds a record torn by a full disk
// or a crash mid-write, and the reader then skips to the next "HBS1 ".
// Flags: "-" none, "m" = the forwarder sent it and got no answer, so the
// broker may already have it (replay relies on the event id to drop it then).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace hookbroker::spool {

inline constexpr std::string_view kRecordMagic = "HBS1 ";
/// Longest payload a record may carry (the forwarder's own limit is lower).
inline constexpr std::size_t kMaxPayloadBytes = 64u << 20;

struct RecordMeta {
  std::string event_id;          ///< [A-Za-z0-9_-], 1..64 chars
  std::string sent_at;           ///< ISO-8601 UTC, when the hook fired
  bool maybe_delivered = false;  ///< flag "m"
};

/// True when `meta` can be written (id and time contain no separators).
bool valid_meta(const RecordMeta& meta, std::string* why = nullptr);

/// CRC-32 (IEEE) of `bytes`.
uint32_t crc32_of(std::string_view bytes);

/// The header line (ending in '\n') for a record carrying `payload`. The
/// record is header + payload + "\n".
std::string encode_header(const RecordMeta& meta, std::string_view payload);

/// The whole record as one string (tests, quarantine); the forwarder writes
/// the three parts with one writev instead of copying the payload.
std::string encode_record(const RecordMeta& meta, std::string_view payload);

struct ScannedRecord {
  RecordMeta meta;
  std::string_view payload;
  std::size_t begin = 0;  ///< offset of the record's first byte
  std::size_t end = 0;    ///< offset just past its trailing '\n'
};

/// Walks the records of a spool held in memory, in order.
class RecordScanner {
 public:
  enum class Item {
    Record,      ///< `record` is valid
    Corrupt,     ///< bytes [begin, end) are not a valid record; scanning resumes at end
    Incomplete,  ///< the data ends inside a record starting at `begin` (a write in progress, or torn)
    End,
  };

  explicit RecordScanner(std::string_view data, std::size_t start = 0) : data_(data), pos_(start) {}

  /// Next item. For Corrupt/Incomplete, `record.begin`/`record.end` give the
  /// byte range and `problem` says what was wrong.
  Item next(ScannedRecord& record, std::string& problem);

  std::size_t position() const { return pos_; }

 private:
  std::size_t resync_from(std::size_t from) const;

  std::string_view data_;
  std::size_t pos_;
};

}  // namespace hookbroker::spool
