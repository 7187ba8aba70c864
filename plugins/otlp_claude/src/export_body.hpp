// The body of an OTLP/HTTP export request as JSON, or the answer that
// refuses it (OTLP/HTTP: 400 for a body that cannot be read, 413 over the
// size limit, 415 for an encoding or content type not served). Also the
// 200 answer with its partialSuccess.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "hookbroker/http.hpp"

namespace hookbroker::otlp {

struct ExportBody {
  std::optional<nlohmann::json> json;  ///< the parsed body, when it could be read
  HttpResponse refusal;                ///< otherwise the answer
};

/// Reads `request` (Content-Type application/json, Content-Encoding gzip or
/// none), inflating at most `max_bytes`; `request_name` names the expected
/// message in errors ("ExportLogsServiceRequest").
ExportBody read_export_body(const HttpRequest& request, std::size_t max_bytes, const char* request_name);

/// The 200 answer: {} when every record was taken, else
/// {"partialSuccess": {<rejected_field>: "N", "errorMessage": "..."}}
/// (the count as proto3 JSON writes an int64: a string).
HttpResponse export_answer(std::size_t rejected, const char* rejected_field, const std::string& message);

}  // namespace hookbroker::otlp
