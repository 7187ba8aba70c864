#include "stats.hpp"

#include <algorithm>
#include <cstdio>
#include <numeric>

namespace plugins_bench {

Summary summarize(std::vector<double> samples) {
  Summary s;
  s.n = samples.size();
  if (samples.empty()) return s;
  std::sort(samples.begin(), samples.end());
  s.mean = std::accumulate(samples.begin(), samples.end(), 0.0) / static_cast<double>(samples.size());
  auto at = [&](double q) { return samples[std::min(samples.size() - 1, static_cast<std::size_t>(q * samples.size()))]; };
  s.p50 = at(0.50);
  s.p90 = at(0.90);
  s.p99 = at(0.99);
  s.max = samples.back();
  return s;
}

std::string describe(const Summary& s, int precision) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "mean %.*f  p50 %.*f  p90 %.*f  p99 %.*f  max %.*f  (n=%zu)", precision, s.mean,
                precision, s.p50, precision, s.p90, precision, s.p99, precision, s.max, s.n);
  return buf;
}

}  // namespace plugins_bench
