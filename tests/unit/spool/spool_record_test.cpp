// The spool record format: what the forwarder writes, the replay reads back.
#include <gtest/gtest.h>

#include "spool/spool_record.hpp"

namespace {

using hookbroker::spool::encode_record;
using hookbroker::spool::RecordMeta;
using hookbroker::spool::RecordScanner;
using hookbroker::spool::ScannedRecord;
using Item = RecordScanner::Item;

RecordMeta meta(const std::string& id, bool maybe = false) { return {id, "2026-01-05T10:42:48.123Z", maybe}; }

TEST(SpoolRecord, HeaderIsReadableTextWithLengthChecksumIdTimeAndFlags) {
  const std::string record = encode_record(meta("abc123"), "{\"a\":1}");
  EXPECT_EQ(record, "HBS1 7 " + [] {
    char crc[9];
    std::snprintf(crc, sizeof crc, "%08x", hookbroker::spool::crc32_of("{\"a\":1}"));
    return std::string(crc);
  }() + " abc123 2026-01-05T10:42:48.123Z -\n{\"a\":1}\n");
  EXPECT_NE(encode_record(meta("abc123", true), "x").find(" m\n"), std::string::npos);
}

TEST(SpoolRecord, ScannerReturnsRecordsInOrderWithTheirMetaAndPayload) {
  const std::string data = encode_record(meta("one"), "{\"n\":1}") + encode_record(meta("two", true), "{\"n\":2}");
  RecordScanner scanner(data);
  ScannedRecord r;
  std::string problem;
  ASSERT_EQ(scanner.next(r, problem), Item::Record);
  EXPECT_EQ(r.meta.event_id, "one");
  EXPECT_FALSE(r.meta.maybe_delivered);
  EXPECT_EQ(r.payload, "{\"n\":1}");
  EXPECT_EQ(r.begin, 0u);
  ASSERT_EQ(scanner.next(r, problem), Item::Record);
  EXPECT_EQ(r.meta.event_id, "two");
  EXPECT_TRUE(r.meta.maybe_delivered);
  EXPECT_EQ(r.meta.sent_at, "2026-01-05T10:42:48.123Z");
  EXPECT_EQ(r.end, data.size());
  EXPECT_EQ(scanner.next(r, problem), Item::End);
}

TEST(SpoolRecord, PayloadMayHoldAnyBytesIncludingNewlinesAndTheMagic) {
  const std::string payload = std::string("line1\nHBS1 99 00000000 x y -\n\0\xff", 32);
  const std::string data = encode_record(meta("bin"), payload) + encode_record(meta("next"), "{}");
  RecordScanner scanner(data);
  ScannedRecord r;
  std::string problem;
  ASSERT_EQ(scanner.next(r, problem), Item::Record) << problem;
  EXPECT_EQ(r.payload, payload);
  ASSERT_EQ(scanner.next(r, problem), Item::Record);
  EXPECT_EQ(r.meta.event_id, "next");
}

TEST(SpoolRecord, DamagedRecordIsReportedAndScanningResumesAtTheNextRecord) {
  std::string first = encode_record(meta("one"), "{\"n\":1}");
  first[first.size() - 3] = 'X';  // flip a payload byte: checksum mismatch
  const std::string data = first + encode_record(meta("two"), "{\"n\":2}");
  RecordScanner scanner(data);
  ScannedRecord r;
  std::string problem;
  ASSERT_EQ(scanner.next(r, problem), Item::Corrupt);
  EXPECT_NE(problem.find("checksum"), std::string::npos);
  EXPECT_EQ(r.begin, 0u);
  EXPECT_EQ(r.end, first.size());
  ASSERT_EQ(scanner.next(r, problem), Item::Record);
  EXPECT_EQ(r.meta.event_id, "two");
}

TEST(SpoolRecord, GarbageBeforeARecordIsSkippedAsOneDamagedRange) {
  const std::string data = "garbage\nmore garbage\n" + encode_record(meta("ok"), "{}");
  RecordScanner scanner(data);
  ScannedRecord r;
  std::string problem;
  ASSERT_EQ(scanner.next(r, problem), Item::Corrupt);
  EXPECT_EQ(r.end, 21u);
  ASSERT_EQ(scanner.next(r, problem), Item::Record);
  EXPECT_EQ(r.meta.event_id, "ok");
}

TEST(SpoolRecord, ARecordCutShortAtTheEndIsIncompleteNotCorrupt) {
  const std::string whole = encode_record(meta("one"), "{\"n\":1}");
  for (std::size_t cut = 1; cut < whole.size(); ++cut) {
    RecordScanner scanner(std::string_view(whole).substr(0, cut));
    ScannedRecord r;
    std::string problem;
    EXPECT_EQ(scanner.next(r, problem), Item::Incomplete) << "cut at " << cut;
  }
}

TEST(SpoolRecord, MetaWithSeparatorsIsRefused) {
  std::string why;
  EXPECT_FALSE(hookbroker::spool::valid_meta({"has space", "t", false}, &why));
  EXPECT_NE(why.find("event id"), std::string::npos);
  EXPECT_FALSE(hookbroker::spool::valid_meta({"", "t", false}, &why));
  EXPECT_FALSE(hookbroker::spool::valid_meta({"id", "a b", false}, &why));
  EXPECT_TRUE(hookbroker::spool::valid_meta({"0123456789abcdef0123456789abcdef", "2026-01-01T00:00:00.000Z", false}));
}

}  // namespace
