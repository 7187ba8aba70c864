#include "spool/spool_record.hpp"

#include <cstdio>

#include <boost/crc.hpp>

namespace hookbroker::spool {
namespace {

constexpr std::size_t kMaxHeaderBytes = 256;

bool id_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/// Splits "a b c" into exactly `n` fields; false when the count differs.
template <std::size_t N>
bool split_fields(std::string_view line, std::string_view (&fields)[N]) {
  std::size_t count = 0, pos = 0;
  while (pos <= line.size()) {
    const std::size_t space = line.find(' ', pos);
    const std::size_t end = space == std::string_view::npos ? line.size() : space;
    if (count == N) return false;
    fields[count++] = line.substr(pos, end - pos);
    if (space == std::string_view::npos) break;
    pos = space + 1;
  }
  return count == N;
}

bool parse_decimal(std::string_view text, std::size_t& value) {
  if (text.empty() || text.size() > 12) return false;
  value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<std::size_t>(c - '0');
  }
  return true;
}

bool parse_hex32(std::string_view text, uint32_t& value) {
  if (text.size() != 8) return false;
  value = 0;
  for (char c : text) {
    uint32_t digit;
    if (c >= '0' && c <= '9') digit = static_cast<uint32_t>(c - '0');
    else if (c >= 'a' && c <= 'f') digit = static_cast<uint32_t>(c - 'a' + 10);
    else return false;
    value = value << 4 | digit;
  }
  return true;
}

}  // namespace

bool valid_meta(const RecordMeta& meta, std::string* why) {
  auto fail = [why](const char* text) {
    if (why) *why = text;
    return false;
  };
  if (meta.event_id.empty() || meta.event_id.size() > 64) return fail("event id must be 1-64 characters");
  for (char c : meta.event_id)
    if (!id_char(c)) return fail("event id may only contain letters, digits, '-' and '_'");
  if (meta.sent_at.empty() || meta.sent_at.size() > 40) return fail("sent-at time must be 1-40 characters");
  for (char c : meta.sent_at)
    if (c == ' ' || c == '\n' || c == '\r') return fail("sent-at time must not contain spaces");
  return true;
}

uint32_t crc32_of(std::string_view bytes) {
  boost::crc_32_type crc;
  crc.process_bytes(bytes.data(), bytes.size());
  return crc.checksum();
}

std::string encode_header(const RecordMeta& meta, std::string_view payload) {
  char numbers[40];
  std::snprintf(numbers, sizeof numbers, "%zu %08x ", payload.size(), static_cast<unsigned>(crc32_of(payload)));
  std::string header;
  header.reserve(kRecordMagic.size() + 40 + meta.event_id.size() + meta.sent_at.size() + 4);
  header += kRecordMagic;
  header += numbers;
  header += meta.event_id;
  header += ' ';
  header += meta.sent_at;
  header += meta.maybe_delivered ? " m\n" : " -\n";
  return header;
}

std::string encode_record(const RecordMeta& meta, std::string_view payload) {
  std::string record = encode_header(meta, payload);
  record.append(payload.data(), payload.size());
  record += '\n';
  return record;
}

std::size_t RecordScanner::resync_from(std::size_t from) const {
  // Records normally start after a '\n', but one written after a torn
  // record starts right after the torn bytes: look for the magic anywhere.
  // A payload that happens to contain it fails the checksum in turn.
  const std::size_t found = data_.find(kRecordMagic, from + 1);
  return found == std::string_view::npos ? data_.size() : found;
}

RecordScanner::Item RecordScanner::next(ScannedRecord& record, std::string& problem) {
  if (pos_ >= data_.size()) return Item::End;
  const std::size_t begin = pos_;
  record = ScannedRecord{};
  record.begin = begin;

  auto corrupt = [&](std::string why) {
    problem = std::move(why);
    pos_ = resync_from(begin);
    record.end = pos_;
    return Item::Corrupt;
  };
  auto incomplete = [&](std::string why) {
    problem = std::move(why);
    record.end = data_.size();
    return Item::Incomplete;
  };

  const std::string_view rest = data_.substr(begin);
  if (rest.size() < kRecordMagic.size())
    return kRecordMagic.substr(0, rest.size()) == rest ? incomplete("data ends inside a record header")
                                                       : corrupt("no record header");
  if (rest.substr(0, kRecordMagic.size()) != kRecordMagic) return corrupt("no record header");
  const std::size_t newline = rest.find('\n');
  if (newline == std::string_view::npos)
    return rest.size() < kMaxHeaderBytes ? incomplete("data ends inside a record header")
                                         : corrupt("record header longer than 256 bytes");
  if (newline > kMaxHeaderBytes) return corrupt("record header longer than 256 bytes");

  std::string_view fields[5];
  if (!split_fields(rest.substr(kRecordMagic.size(), newline - kRecordMagic.size()), fields))
    return corrupt("record header does not have 5 fields");
  std::size_t length = 0;
  uint32_t crc = 0;
  if (!parse_decimal(fields[0], length) || length > kMaxPayloadBytes) return corrupt("bad payload length");
  if (!parse_hex32(fields[1], crc)) return corrupt("bad checksum field");
  if (fields[4] != "-" && fields[4] != "m") return corrupt("bad flags field");
  record.meta.event_id = std::string(fields[2]);
  record.meta.sent_at = std::string(fields[3]);
  record.meta.maybe_delivered = fields[4] == "m";
  if (!valid_meta(record.meta)) return corrupt("bad event id or time");

  const std::size_t payload_begin = begin + newline + 1;
  if (payload_begin + length + 1 > data_.size()) {
    // Either the last record is still being written, or a torn record's
    // length runs into the records written after it.
    if (resync_from(payload_begin) < data_.size()) return corrupt("record longer than the data that follows it");
    return incomplete("data ends inside a record payload");
  }
  if (data_[payload_begin + length] != '\n') return corrupt("record does not end where its length says");
  record.payload = data_.substr(payload_begin, length);
  if (crc32_of(record.payload) != crc) return corrupt("checksum mismatch (torn or damaged record)");
  record.end = payload_begin + length + 1;
  pos_ = record.end;
  return Item::Record;
}

}  // namespace hookbroker::spool
