#include "serial_worker.hpp"

namespace hookbroker::mpm {

bool SerialWorker::submit(std::function<void()> job) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (jobs_.size() >= max_queued_) return false;
    jobs_.push_back(std::move(job));
    if (running_) return true;
    running_ = true;
  }
  host_.run_blocking([self = shared_from_this()] { self->drain(); });
  return true;
}

void SerialWorker::drain() {
  for (;;) {
    std::function<void()> job;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (jobs_.empty()) {
        running_ = false;
        return;
      }
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    job();  // jobs catch their own errors: each answers its request
  }
}

}  // namespace hookbroker::mpm
