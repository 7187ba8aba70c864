#include "static_files.hpp"

#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace hookbroker::sio {
namespace {

namespace fs = std::filesystem;

// Larger files are not dashboard assets.
constexpr std::uintmax_t kMaxFileBytes = 64u << 20;

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

StaticFiles::StaticFiles(HostApi& host, std::string root) : host_(host), root_(std::move(root)) {}

const char* StaticFiles::content_type(const std::string& p) {
  static const std::pair<std::string_view, const char*> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".htm", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".ico", "image/x-icon"},
      {".webp", "image/webp"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".ttf", "font/ttf"},
      {".txt", "text/plain; charset=utf-8"},
      {".wasm", "application/wasm"},
  };
  for (const auto& [ext, type] : kTypes)
    if (ends_with(p, ext)) return type;
  return "application/octet-stream";
}

std::string StaticFiles::resolve(const std::string& root, const std::string& url_path) {
  if (root.empty() || url_path.empty() || url_path.front() != '/') return {};
  // Decode %XX (not '+': that is a query convention) before looking at segments.
  std::string decoded;
  for (std::size_t i = 0; i < url_path.size(); ++i) {
    if (url_path[i] == '%' && i + 2 < url_path.size() &&
        std::isxdigit(static_cast<unsigned char>(url_path[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(url_path[i + 2]))) {
      decoded += static_cast<char>(std::stoi(url_path.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      decoded += url_path[i];
    }
  }
  if (decoded.find('\0') != std::string::npos || decoded.find('\\') != std::string::npos) return {};
  std::string relative;
  std::size_t start = 1;
  while (start <= decoded.size()) {
    const std::size_t end = std::min(decoded.find('/', start), decoded.size());
    const std::string segment = decoded.substr(start, end - start);
    if (segment == "..") return {};
    if (!segment.empty() && segment != ".") {
      if (!relative.empty()) relative += '/';
      relative += segment;
    }
    start = end + 1;
  }
  if (relative.empty() || ends_with(decoded, "/"))
    relative += relative.empty() ? "index.html" : "/index.html";
  return (fs::path(root) / relative).string();
}

void StaticFiles::serve(const std::string& url_path, HttpReply reply) {
  const std::string file = resolve(root_, url_path);
  const std::string root = root_;
  host_.run_blocking([file, root, url_path, reply = std::move(reply)] {
    std::error_code ec;
    const fs::path canonical_root = fs::canonical(root, ec);
    if (ec) {
      reply(HttpResponse::error(404, url_path == "/" ? "no dashboard is installed in " + root +
                                                           ": install hookbroker's dashboard or set "
                                                           "plugins.transport_socketio.config.dashboard_dir"
                                                     : "no route for GET " + url_path));
      return;
    }
    const fs::path canonical = file.empty() ? fs::path() : fs::canonical(file, ec);
    const std::string inside = canonical.string();
    const std::string prefix = canonical_root.string() + "/";
    if (file.empty() || ec || inside.compare(0, prefix.size(), prefix) != 0 ||
        !fs::is_regular_file(canonical, ec) || fs::file_size(canonical, ec) > kMaxFileBytes) {
      reply(HttpResponse::error(404, "no file for " + url_path + " in the dashboard directory"));
      return;
    }
    std::ifstream in(canonical, std::ios::binary);
    if (!in) {
      reply(HttpResponse::error(500, "could not open " + inside + " for reading"));
      return;
    }
    std::ostringstream content;
    content << in.rdbuf();
    HttpResponse r;
    r.status = 200;
    r.content_type = content_type(inside);
    r.body = content.str();
    r.headers.emplace_back("Cache-Control", "no-cache");
    reply(std::move(r));
  });
}

}  // namespace hookbroker::sio
