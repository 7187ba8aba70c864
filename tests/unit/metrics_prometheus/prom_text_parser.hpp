// A strict reader of the Prometheus text exposition format (0.0.4), to check
// what GET /metrics serves. Debian's prometheus package (promtool) weighs
// about 100 MB installed, so the rules promtool checks are written out here:
// syntax of names, labels, escapes and values; one HELP and TYPE per family,
// before its samples; families not interleaved; no repeated series; counters
// named *_total and never negative; histograms with cumulative buckets, a
// +Inf bucket equal to _count, and _sum.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace prom_test {

struct Sample {
  std::string name;  ///< as written, e.g. x_bucket
  std::map<std::string, std::string> labels;
  double value = 0;
};

struct Family {
  std::string type;  ///< counter, gauge, histogram, summary, untyped
  std::string help;
  std::vector<Sample> samples;
};

struct Exposition {
  std::map<std::string, Family> families;
  std::vector<std::string> order;  ///< family names as they appeared
  std::string error;               ///< empty when the text is valid: "line N: what"
  bool ok() const { return error.empty(); }

  /// The value of `family`'s sample with exactly these labels; NaN when absent.
  double value(const std::string& family, const std::map<std::string, std::string>& labels = {},
               const std::string& sample_name = "") const;
};

Exposition parse_exposition(const std::string& text);

}  // namespace prom_test
