#include "export_body.hpp"

#include <algorithm>
#include <cctype>

#include "gzip_body.hpp"
#include "hookbroker/json_input.hpp"

namespace hookbroker::otlp {
namespace {

std::string lower_trimmed(std::string value) {
  const auto cut = value.find(';');
  if (cut != std::string::npos) value.resize(cut);
  value.erase(std::remove_if(value.begin(), value.end(), [](unsigned char c) { return std::isspace(c); }), value.end());
  std::transform(value.begin(), value.end(), value.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return value;
}

ExportBody refuse(int status, const std::string& message) { return {std::nullopt, HttpResponse::error(status, message)}; }

}  // namespace

ExportBody read_export_body(const HttpRequest& request, std::size_t max_bytes, const char* request_name) {
  const std::string type = lower_trimmed(request.header("content-type"));
  if (type == "application/x-protobuf" || type == "application/protobuf")
    return refuse(415, "hookbroker reads OTLP/HTTP as JSON only: set OTEL_EXPORTER_OTLP_PROTOCOL=http/json "
                       "(this request was sent as http/protobuf)");
  if (type != "application/json")
    return refuse(415, "an OTLP/HTTP " + std::string(request_name) + " is sent as Content-Type: application/json, not \"" +
                           request.header("content-type") + "\": set OTEL_EXPORTER_OTLP_PROTOCOL=http/json");

  const std::string encoding = lower_trimmed(request.header("content-encoding"));
  std::string inflated;
  const std::string* body = &request.body;
  if (encoding == "gzip") {
    Inflated out = gunzip(request.body, max_bytes);
    if (out.too_large)
      return refuse(413, "the gzip body inflates to more than " + std::to_string(max_bytes) +
                             " bytes: export smaller batches, or raise plugins.otlp_claude.config.max_body_bytes");
    if (!out.body) return refuse(400, "Content-Encoding is gzip but the body is not: " + out.error);
    inflated = std::move(*out.body);
    body = &inflated;
  } else if (!encoding.empty() && encoding != "identity") {
    return refuse(415, "Content-Encoding \"" + request.header("content-encoding") +
                           "\" is not served: send gzip or no encoding (OTEL_EXPORTER_OTLP_COMPRESSION=gzip or none)");
  }

  JsonInput input = parse_json_input(*body);
  if (!input.ok) return refuse(400, "the body is not an OTLP/JSON " + std::string(request_name) + ": " + input.error);
  return {std::move(input.value), {}};
}

HttpResponse export_answer(std::size_t rejected, const char* rejected_field, const std::string& message) {
  nlohmann::json answer = nlohmann::json::object();
  if (rejected > 0)
    answer["partialSuccess"] = {{rejected_field, std::to_string(rejected)}, {"errorMessage", message}};
  return HttpResponse::json(200, answer);
}

}  // namespace hookbroker::otlp
