// Writes the Prometheus text exposition format (version 0.0.4): a HELP and
// a TYPE line per family, then its samples, label values escaped.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hookbroker::prometheus {

using Labels = std::vector<std::pair<std::string, std::string>>;

class PromWriter {
 public:
  /// Starts a family; `type` is counter, gauge, histogram or untyped.
  void family(std::string_view name, std::string_view type, std::string_view help);
  /// One sample line; `name` is the family name, or it plus _bucket/_sum/_count.
  void sample(std::string_view name, const Labels& labels, double value);
  void sample(std::string_view name, double value) { sample(name, {}, value); }

  const std::string& text() const { return out_; }

  /// Label value escaping: backslash, double quote and newline.
  static std::string escape_label(std::string_view value);
  /// Integers exactly, others with full precision; NaN, +Inf, -Inf by name.
  static std::string format_value(double value);

 private:
  std::string out_;
};

}  // namespace hookbroker::prometheus
