#include "duplicate_filter.hpp"

namespace hookbroker::claude {

DuplicateFilter::DuplicateFilter(std::chrono::duration<double> window, std::size_t max_bytes)
    : window_(std::chrono::duration_cast<Clock::duration>(window)), max_bytes_(max_bytes) {}

void DuplicateFilter::forget_oldest() {
  seen_.erase(std::string_view(order_.front().bytes));
  bytes_ -= order_.front().bytes.size();
  order_.pop_front();
}

void DuplicateFilter::forget_before(Clock::time_point cutoff) {
  while (!order_.empty() && order_.front().at <= cutoff) forget_oldest();
}

bool DuplicateFilter::is_repeat(const std::string& bytes, Clock::time_point now) {
  if (window_ <= Clock::duration::zero()) return false;
  forget_before(now - window_);
  if (seen_.count(std::string_view(bytes)) != 0) return true;
  if (bytes.size() > max_bytes_) return false;  // too big to remember
  while (!order_.empty() && bytes_ + bytes.size() > max_bytes_) forget_oldest();
  order_.push_back({now, bytes});
  seen_.insert(std::string_view(order_.back().bytes));
  bytes_ += bytes.size();
  return false;
}

}  // namespace hookbroker::claude
