#include "publish_buffer.hpp"

namespace hookbroker::cluster {

void PublishBuffer::add(StreamEntry entry) {
  if (entries_.size() >= max_) {
    entries_.pop_front();
    ++dropped_;
    if (sent_ > 0) --sent_;
  }
  entries_.push_back(std::move(entry));
}

const StreamEntry* PublishBuffer::next_to_send() {
  if (sent_ >= entries_.size()) return nullptr;
  return &entries_[sent_++];
}

void PublishBuffer::confirmed(std::uint64_t seq) {
  while (!entries_.empty() && entries_.front().seq <= seq) {
    entries_.pop_front();
    if (sent_ > 0) --sent_;
    ++published_;
  }
}

}  // namespace hookbroker::cluster
