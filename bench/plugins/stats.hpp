// Summaries of measured samples for the plugin benchmarks.
#pragma once

#include <string>
#include <vector>

namespace plugins_bench {

struct Summary {
  double mean = 0, p50 = 0, p90 = 0, p99 = 0, max = 0;
  std::size_t n = 0;
};

Summary summarize(std::vector<double> samples);
/// "mean 12.3  p50 11.0  p90 20.4  p99 30.1  max 45.2  (n=1000)"
std::string describe(const Summary& s, int precision = 1);

}  // namespace plugins_bench
