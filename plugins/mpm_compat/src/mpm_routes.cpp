#include "mpm_routes.hpp"

#include <stdexcept>

#include "file_routes.hpp"
#include "git_routes.hpp"
#include "mpm_reply.hpp"
#include "session_roots.hpp"

namespace hookbroker::mpm {
namespace {

/// Requests waiting for the worker before new ones are refused with 503.
constexpr std::size_t kMaxQueued = 32;

const char* const kUnimplemented =
    "hookbroker does not manage claude-mpm's agents, skills or their sources (/api/config/...): use claude-mpm's "
    "own `claude-mpm configure` for that; hookbroker's mpm_compat serves the dashboard's events, tools and files";

}  // namespace

MpmRoutes::MpmRoutes(HostApi& host, Options options)
    : host_(host), options_(options), worker_(std::make_shared<SerialWorker>(host, kMaxQueued)) {}

void MpmRoutes::offload(HttpReply reply, Answer answer) {
  SessionTracker* tracker = host_.sessions();
  auto job = [tracker, reply, answer = std::move(answer)]() {
    HttpResponse response;
    try {
      response = answer(session_dirs(tracker));
    } catch (const std::exception& e) {
      response = mpm_error(500, std::string("internal error: ") + e.what());
    }
    reply(std::move(response));
  };
  if (!worker_->submit(std::move(job)))
    reply(mpm_error(503, "busy: " + std::to_string(kMaxQueued) + " file requests are already waiting; try again"));
}

void MpmRoutes::route(const char* method, const char* path, HttpHandler handler) {
  if (!host_.add_http_route(method, path, std::move(handler)))
    throw std::runtime_error(std::string(method) + " " + path +
                             " is already served by another plugin; mpm_compat cannot answer it");
}

void MpmRoutes::add() {
  const Options o = options_;
  route("GET", "/api/working-directory", [this](const HttpRequest&, HttpReply reply) {
    offload(std::move(reply), [](const SessionDirs& dirs) { return working_directory_answer(dirs); });
  });
  route("GET", "/api/file/read", [this, o](const HttpRequest& request, HttpReply reply) {
    offload(std::move(reply), [path = request.query_param("path"), o](const SessionDirs& dirs) {
      return read_file_answer(path, dirs, o);
    });
  });
  route("POST", "/api/file", [this, o](const HttpRequest& request, HttpReply reply) {
    offload(std::move(reply), [body = request.body, o](const SessionDirs& dirs) { return post_file_answer(body, dirs, o); });
  });
  route("GET", "/api/files", [this, o](const HttpRequest& request, HttpReply reply) {
    offload(std::move(reply), [path = request.query_param("path"), o](const SessionDirs& dirs) {
      return list_directory_answer(path, dirs, o);
    });
  });
  route("GET", "/api/file/diff", [this, o](const HttpRequest& request, HttpReply reply) {
    offload(std::move(reply), [path = request.query_param("path"), o](const SessionDirs& dirs) {
      return file_diff_answer(path, dirs, o);
    });
  });
  route("POST", "/api/git-history", [this, o](const HttpRequest& request, HttpReply reply) {
    offload(std::move(reply), [body = request.body, o](const SessionDirs& dirs) { return git_history_answer(body, dirs, o); });
  });
  route("GET", "/api/config", [this, o](const HttpRequest&, HttpReply reply) {
    offload(std::move(reply), [o](const SessionDirs& dirs) { return config_answer(dirs, o); });
  });
  for (const char* method : {"GET", "POST", "PUT", "PATCH", "DELETE"})
    route(method, "/api/config/*", [](const HttpRequest&, HttpReply reply) { reply(mpm_error(501, kUnimplemented)); });
}

}  // namespace hookbroker::mpm
