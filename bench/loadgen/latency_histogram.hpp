// Latency histogram with bounded memory and ~1.6% relative precision: exact
// below 64 ns, then 64 linear sub-buckets per power of two (log-linear, as
// HdrHistogram). One per receive thread, merged at the end of a phase.
#pragma once

#include <array>
#include <cstdint>

namespace loadgen {

class LatencyHistogram {
 public:
  void record(std::uint64_t ns);
  void merge(const LatencyHistogram& other);
  void clear();

  std::uint64_t count() const { return count_; }
  std::uint64_t max() const { return max_; }
  /// Smallest recorded value v such that at least `q` (0..1) of all samples
  /// are <= v, rounded to its bucket's upper edge; 0 when empty.
  std::uint64_t quantile(double q) const;

 private:
  static constexpr int kSubBits = 6;  // 64 sub-buckets per octave
  static constexpr int kSub = 1 << kSubBits;
  static constexpr int kOctaves = 64 - kSubBits + 1;
  static int bucket_of(std::uint64_t ns);
  static std::uint64_t upper_edge(int bucket);

  std::array<std::uint64_t, kSub * kOctaves> buckets_{};
  std::uint64_t count_ = 0;
  std::uint64_t max_ = 0;
};

}  // namespace loadgen
