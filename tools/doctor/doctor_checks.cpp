#include "doctor_checks.hpp"

#include <filesystem>
#include <fstream>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <map>
#include <sys/stat.h>
#include <unistd.h>

#include "claude_events/event_table.hpp"
#include "claude_settings/hookbroker_entries.hpp"
#include "claude_settings/settings_document.hpp"
#include "broker_client/broker_call.hpp"
#include "broker_client/broker_identity.hpp"
#include "spool/spool_dir.hpp"
#include "spool/spool_scan.hpp"

namespace hookbroker::doctor {
namespace {

namespace fs = std::filesystem;
using Level = Finding::Level;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string plural(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

std::vector<std::string> claude_settings_files(const std::string& home, const std::string& project_dir) {
  std::vector<std::string> files;
  for (const std::string& path : {home + "/.claude/settings.json", project_dir + "/.claude/settings.json",
                                  project_dir + "/.claude/settings.local.json"}) {
    std::error_code ec;
    if (fs::exists(path, ec) &&
        std::find(files.begin(), files.end(), fs::weakly_canonical(path, ec).string()) == files.end())
      files.push_back(fs::weakly_canonical(path, ec).string());
  }
  return files;
}

std::vector<Finding> check_config(const broker_client::BrokerEndpoint& e) {
  std::vector<Finding> out;
  out.push_back({Level::Ok, "config",
                 "broker address " + e.base_url() + " (from " + e.origin + "), config file: " +
                     (e.config_file.empty() ? "none" : e.config_file) + ", token: " + (e.token.empty() ? "none" : "set")});
  if (!e.problems.empty()) out.push_back({Level::Warn, "config", e.problems});
  return out;
}

std::vector<Finding> check_broker(const broker_client::BrokerEndpoint& e, int timeout_ms) {
  broker_client::BrokerCall call;
  call.method = "GET";
  call.path = "/health";
  call.timeout_ms = timeout_ms;
  const auto answer = broker_client::call_broker(e, call);
  if (answer.outcome != http_client::Answer::Outcome::Answered) {
    return {{Level::Fail, "broker",
             "not reachable at " + e.base_url() + " (" + answer.error +
                 "). Start it with `hookbroker`; until then hooks are spooled and replayed later"}};
  }
  const auto body = nlohmann::json::parse(answer.body, nullptr, false);
  if (answer.status != 200 || !broker_client::is_hookbroker_health(body)) {
    return {{Level::Fail, "broker",
             e.base_url() + " answered GET /health with HTTP " + std::to_string(answer.status) +
                 " but is not a hookbroker: another program has the port; set the port in the config file"}};
  }
  std::string detail = "hookbroker " + body.value("version", std::string("?")) + " up at " + e.base_url();
  if (body.contains("uptime_seconds") && body["uptime_seconds"].is_number())
    detail += ", up " + std::to_string(static_cast<long long>(body["uptime_seconds"].get<double>())) + " s";
  if (body.contains("events") && body["events"].is_number())
    detail += ", " + std::to_string(body["events"].get<long long>()) + " events";
  return {{Level::Ok, "broker", detail}};
}

std::vector<Finding> check_forwarder(const std::string& bin_dir) {
  const std::string path = bin_dir + "/hookbroker-hook";
  if (::access(path.c_str(), X_OK) != 0)
    return {{Level::Fail, "forwarder", path + " is missing or not executable: reinstall hookbroker"}};
  return {{Level::Ok, "forwarder", path}};
}

std::vector<Finding> check_hooks(const std::vector<std::string>& files) {
  std::vector<Finding> out;
  if (files.empty()) {
    out.push_back({Level::Fail, "hooks",
                   "no Claude Code settings file found: run `hookbroker install-hooks` (or --project)"});
    return out;
  }
  std::map<std::string, int> total;
  std::map<std::string, std::vector<std::string>> where;
  for (const std::string& path : files) {
    const auto loaded = claude_settings::load_settings(path);
    if (!loaded.ok) {
      out.push_back({Level::Fail, "hooks", loaded.error});
      continue;
    }
    const auto counts = claude_settings::count_hookbroker_hooks(loaded.document.json);
    int in_file = 0;
    for (const auto& [event, n] : counts) {
      total[event] += n;
      in_file += n;
      where[event].push_back(path);
    }
    out.push_back({Level::Ok, "hooks", path + ": " + plural(static_cast<std::size_t>(in_file), "hookbroker entry", "hookbroker entries")});
  }
  std::vector<std::string> missing, doubled;
  for (const std::string& event : claude_events::default_hook_events())
    if (!total.count(event)) missing.push_back(event);
  for (const auto& [event, n] : total)
    if (n > 1) doubled.push_back(event + " (" + std::to_string(n) + "x)");
  auto join = [](const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
    return s;
  };
  if (!doubled.empty())
    out.push_back({Level::Fail, "hooks",
                   "installed more than once, so these events fire twice: " + join(doubled) +
                       ". Keep one: `hookbroker install-hooks --uninstall --settings FILE` on the extra file(s)"});
  if (total.empty())
    out.push_back({Level::Fail, "hooks", "hookbroker hooks are not installed: run `hookbroker install-hooks`"});
  else if (!missing.empty())
    out.push_back({Level::Warn, "hooks",
                   "not installed for " + join(missing) + " (run `hookbroker install-hooks` to add all events)"});
  else if (doubled.empty())
    out.push_back({Level::Ok, "hooks", "every hook event is forwarded exactly once"});
  return out;
}

std::vector<Finding> check_spool(const broker_client::BrokerEndpoint& e, bool broker_up) {
  std::vector<Finding> out;
  const spool::SpoolDir dir(e.spool_dir);
  const std::size_t waiting = spool::count_records(dir.active_path()) + spool::count_records(dir.draining_path());
  const uint64_t bytes = dir.pending_bytes();
  if (waiting == 0) {
    out.push_back({Level::Ok, "spool", e.spool_dir + ": empty"});
  } else {
    out.push_back({broker_up ? Level::Warn : Level::Ok, "spool",
                   e.spool_dir + ": " + plural(waiting, "event", "events") + " (" + std::to_string(bytes) +
                       " bytes) waiting" +
                       (broker_up ? "; the broker should replay them within seconds: if this stays, check that "
                                    "its spool_replay plugin is loaded (hookbroker --list-plugins)"
                                  : "; they are replayed when the broker starts")});
  }
  const std::size_t rejected = spool::count_records(dir.rejected_path());
  if (rejected)
    out.push_back({Level::Warn, "spool",
                   plural(rejected, "event", "events") + " the broker refused are kept in " + dir.rejected_path() +
                       " (see the broker's log for why)"});
  // The forwarder's own log: surface recent losses, the one thing that must never go unnoticed.
  const std::string log = read_file(e.hook_log);
  const std::size_t lost = [&] {
    std::size_t n = 0;
    for (std::size_t pos = 0; (pos = log.find(" LOST: ", pos)) != std::string::npos; ++pos) ++n;
    return n;
  }();
  if (lost)
    out.push_back({Level::Fail, "spool",
                   plural(lost, "event was", "events were") + " lost (spool full or unwritable): see " + e.hook_log});
  return out;
}

std::string directory_write_problem(const std::string& dir) {
  // The nearest part of the path that exists decides.
  fs::path existing = dir;
  struct stat st;
  while (::stat(existing.c_str(), &st) != 0) {
    if (errno != ENOENT && errno != ENOTDIR) return "cannot look at " + existing.string() + ": " + std::strerror(errno);
    if (!existing.has_parent_path() || existing.parent_path() == existing) return "no part of " + dir + " exists";
    existing = existing.parent_path();
  }
  if (!S_ISDIR(st.st_mode)) return existing.string() + " is not a directory";
  const std::string probe = (existing / (".hookbroker-doctor-" + std::to_string(::getpid()))).string();
  const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return "cannot create files in " + existing.string() + ": " + std::strerror(errno);
  ::close(fd);
  ::unlink(probe.c_str());
  return {};
}

std::string file_append_problem(const std::string& file) {
  struct stat st;
  if (::stat(file.c_str(), &st) != 0) {
    if (errno != ENOENT && errno != ENOTDIR) return "cannot look at " + file + ": " + std::strerror(errno);
    const std::string parent = fs::path(file).parent_path().string();
    return directory_write_problem(parent.empty() ? "." : parent);
  }
  if (S_ISDIR(st.st_mode)) return file + " is a directory";
  // O_APPEND without O_TRUNC: the probe changes nothing in the file.
  const int fd = ::open(file.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd < 0) return "cannot write " + file + ": " + std::strerror(errno);
  ::close(fd);
  return {};
}

std::vector<Finding> check_forwarder_files(const broker_client::BrokerEndpoint& e) {
  std::vector<Finding> out;
  if (const std::string problem = directory_write_problem(e.spool_dir); !problem.empty())
    out.push_back({Level::Fail, "spool",
                   "the hook forwarder cannot write its spool " + e.spool_dir + " (" + problem +
                       "): an event that cannot reach the broker is lost. Make it writable by this user, or set "
                       "HOOKBROKER_SPOOL_DIR (and the broker's plugins.spool_replay.config.dir) to a writable "
                       "directory"});
  else
    out.push_back({Level::Ok, "spool", e.spool_dir + " is writable"});
  if (const std::string problem = file_append_problem(e.hook_log); !problem.empty())
    out.push_back({Level::Fail, "hook log",
                   "the hook forwarder cannot write its log " + e.hook_log + " (" + problem +
                       "): its warnings, and events it loses, go unrecorded. Make it writable by this user, or "
                       "set HOOKBROKER_HOOK_LOG to a writable file"});
  else
    out.push_back({Level::Ok, "hook log", e.hook_log + " is writable"});
  return out;
}

nlohmann::json findings_json(const std::vector<Finding>& findings) {
  nlohmann::json list = nlohmann::json::array();
  bool ok = true;
  for (const auto& f : findings) {
    const char* level = f.level == Level::Ok ? "ok" : f.level == Level::Warn ? "warn" : "fail";
    if (f.level == Level::Fail) ok = false;
    list.push_back({{"level", level}, {"check", f.check}, {"message", f.message}});
  }
  return {{"ok", ok}, {"findings", list}};
}

Finding telemetry_finding(const std::string& turned_on_in, const std::string& endpoint_setting,
                          const std::string& broker_url, const nlohmann::json& received) {
  if (turned_on_in.empty())
    return {Level::Ok, "telemetry",
            "off (optional): `hookbroker install-hooks --telemetry` turns on tokens and cost per session"};
  if (endpoint_setting != broker_url)
    return {Level::Warn, "telemetry",
            turned_on_in + " sends it to " + (endpoint_setting.empty() ? std::string("no OTLP endpoint") : endpoint_setting) +
                ", not to this broker (" + broker_url + "): set OTEL_EXPORTER_OTLP_ENDPOINT to " + broker_url};
  if (!received.is_object())
    return {Level::Warn, "telemetry", "turned on in " + turned_on_in + ", but the broker could not be asked what arrived"};
  const auto last = received.find("last_received_at");
  if (last == received.end() || !last->is_string())
    return {Level::Warn, "telemetry",
            "turned on in " + turned_on_in +
                ", but none has arrived since the broker started: Claude Code sessions started before the "
                "setting do not export; a new session sends its first logs within 5 s of an API request "
                "(OTEL_EXPORTER_OTLP_PROTOCOL must be http/json)"};
  std::string detail = "arriving: last at " + last->get<std::string>();
  if (const auto records = received.find("records"); records != received.end() && records->is_number())
    detail += ", " + std::to_string(records->get<long long>()) + " records joined";
  if (const auto rejected = received.find("rejected_records");
      rejected != received.end() && rejected->is_number() && rejected->get<long long>() > 0)
    detail += ", " + std::to_string(rejected->get<long long>()) + " rejected (see the broker's answers)";
  return {Level::Ok, "telemetry", detail};
}

std::vector<Finding> check_telemetry(const std::vector<std::string>& files, const broker_client::BrokerEndpoint& e,
                                     bool broker_up, int timeout_ms) {
  std::string turned_on_in, endpoint_setting;
  for (const auto& path : files) {
    const auto loaded = claude_settings::load_settings(path);
    if (!loaded.ok || !loaded.document.json.contains("env") || !loaded.document.json["env"].is_object()) continue;
    const auto& env = loaded.document.json["env"];
    // Claude Code merges the files; a later one's value wins.
    if (env.value("CLAUDE_CODE_ENABLE_TELEMETRY", "") == "1") turned_on_in = path;
    if (env.contains("OTEL_EXPORTER_OTLP_ENDPOINT") && env["OTEL_EXPORTER_OTLP_ENDPOINT"].is_string())
      endpoint_setting = env["OTEL_EXPORTER_OTLP_ENDPOINT"].get<std::string>();
  }
  nlohmann::json received;
  if (broker_up && !turned_on_in.empty()) {
    broker_client::BrokerCall call;
    call.method = "GET";
    call.path = "/api/telemetry";
    call.timeout_ms = timeout_ms;
    const auto answer = broker_client::call_broker(e, call);
    const auto body = nlohmann::json::parse(answer.body, nullptr, false);
    if (answer.status == 200 && body.is_object() && body.contains("telemetry")) received = body["telemetry"];
  }
  return {telemetry_finding(turned_on_in, endpoint_setting, e.base_url(), received)};
}

}  // namespace hookbroker::doctor
