// hookbroker doctor: the forwarder's spool directory and log must be
// writable, or an event that cannot reach the broker is lost unrecorded.
#include "doctor_checks.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "temp_dir.hpp"

namespace {

using hookbroker::doctor::Finding;
using namespace hookbroker::doctor;

hookbroker::broker_client::BrokerEndpoint endpoint(const std::string& spool, const std::string& log) {
  hookbroker::broker_client::BrokerEndpoint e;
  e.spool_dir = spool;
  e.hook_log = log;
  return e;
}

const Finding* finding(const std::vector<Finding>& findings, const std::string& check) {
  for (const auto& f : findings)
    if (f.check == check) return &f;
  return nullptr;
}

TEST(DoctorForwarderFiles, WritablePlacesAreOkEvenBeforeTheyExist) {
  hbtest::TempDir dir;
  EXPECT_EQ(directory_write_problem(dir.path()), "");
  EXPECT_EQ(directory_write_problem(dir.file("not/yet/there")), "") << "the forwarder creates it";
  EXPECT_EQ(file_append_problem(dir.file("hook.log")), "");
  hbtest::write_file(dir.file("hook.log"), "old line\n");
  EXPECT_EQ(file_append_problem(dir.file("hook.log")), "");
  EXPECT_EQ(hbtest::read_file(dir.file("hook.log")), "old line\n") << "the probe changes nothing";
  struct stat st;
  EXPECT_NE(::stat(dir.file("not").c_str(), &st), 0) << "nor creates anything";

  const auto findings = check_forwarder_files(endpoint(dir.file("spool"), dir.file("hook.log")));
  ASSERT_EQ(findings.size(), 2u);
  for (const auto& f : findings) EXPECT_EQ(f.level, Finding::Level::Ok) << f.message;
}

TEST(DoctorForwarderFiles, AnUnwritableSpoolOrLogIsAFailureSayingWhatToDo) {
  hbtest::TempDir dir;
  hbtest::write_file(dir.file("a-file"), "");
  ::mkdir(dir.file("log-is-a-dir").c_str(), 0700);
  EXPECT_NE(directory_write_problem(dir.file("a-file/spool")).find("is not a directory"), std::string::npos);
  EXPECT_NE(directory_write_problem(dir.file("a-file")).find("is not a directory"), std::string::npos);
  EXPECT_NE(file_append_problem(dir.file("log-is-a-dir")).find("is a directory"), std::string::npos);
  EXPECT_NE(file_append_problem(dir.file("a-file/hook.log")).find("is not a directory"), std::string::npos);

  const auto findings = check_forwarder_files(endpoint(dir.file("a-file/spool"), dir.file("log-is-a-dir")));
  const Finding* spool = finding(findings, "spool");
  ASSERT_TRUE(spool);
  EXPECT_EQ(spool->level, Finding::Level::Fail);
  EXPECT_NE(spool->message.find(dir.file("a-file/spool")), std::string::npos) << spool->message;
  EXPECT_NE(spool->message.find("is lost"), std::string::npos) << spool->message;
  EXPECT_NE(spool->message.find("HOOKBROKER_SPOOL_DIR"), std::string::npos) << spool->message;
  const Finding* log = finding(findings, "hook log");
  ASSERT_TRUE(log);
  EXPECT_EQ(log->level, Finding::Level::Fail);
  EXPECT_NE(log->message.find("HOOKBROKER_HOOK_LOG"), std::string::npos) << log->message;
  EXPECT_EQ(findings_json(findings)["ok"], false);
}

TEST(DoctorForwarderFiles, AReadOnlyFileSystemIsReported) {
  // /proc is read-only to everyone, root included.
  EXPECT_NE(directory_write_problem("/proc/self"), "");
}

TEST(DoctorTelemetry, SaysWhetherItIsOnPointsHereAndArrives) {
  const std::string here = "http://127.0.0.1:8765";
  const auto off = telemetry_finding("", "", here, nullptr);
  EXPECT_EQ(off.level, Finding::Level::Ok) << "optional";
  EXPECT_NE(off.message.find("install-hooks --telemetry"), std::string::npos);

  const auto elsewhere = telemetry_finding("/h/.claude/settings.json", "http://collector:4318", here, nullptr);
  EXPECT_EQ(elsewhere.level, Finding::Level::Warn);
  EXPECT_NE(elsewhere.message.find("http://collector:4318"), std::string::npos);

  const auto silent = telemetry_finding("/h/.claude/settings.json", here, here,
                                        {{"records", 0}, {"last_received_at", nullptr}});
  EXPECT_EQ(silent.level, Finding::Level::Warn);
  EXPECT_NE(silent.message.find("none has arrived"), std::string::npos);

  const auto arriving = telemetry_finding("/h/.claude/settings.json", here, here,
                                          {{"records", 12}, {"rejected_records", 1},
                                           {"last_received_at", "2026-12-05T06:00:00.000Z"}});
  EXPECT_EQ(arriving.level, Finding::Level::Ok);
  EXPECT_NE(arriving.message.find("12 records"), std::string::npos) << arriving.message;
  EXPECT_NE(arriving.message.find("1 rejected"), std::string::npos) << arriving.message;
}

}  // namespace
