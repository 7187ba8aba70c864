#include "event_identity.hpp"

#include <chrono>
#include <cstdint>
#include <sys/random.h>
#include <unistd.h>

#include "hookbroker/time.hpp"

namespace hookbroker::hook {

std::string new_event_id() {
  unsigned char bytes[16];
  ssize_t got = ::getrandom(bytes, sizeof bytes, GRND_NONBLOCK);
  if (got != static_cast<ssize_t>(sizeof bytes)) {
    // No entropy yet (very early boot): time and pid still make a collision
    // between two hook processes practically impossible.
    const uint64_t t = static_cast<uint64_t>(std::chrono::system_clock::now().time_since_epoch().count());
    const uint64_t p = static_cast<uint64_t>(::getpid()) * 0x9e3779b97f4a7c15ull;
    for (int i = 0; i < 8; ++i) {
      bytes[i] = static_cast<unsigned char>(t >> (8 * i));
      bytes[8 + i] = static_cast<unsigned char>(p >> (8 * i));
    }
  }
  static const char digits[] = "0123456789abcdef";
  std::string id(32, '0');
  for (int i = 0; i < 16; ++i) {
    id[2 * i] = digits[bytes[i] >> 4];
    id[2 * i + 1] = digits[bytes[i] & 15];
  }
  return id;
}

std::string now_timestamp() { return iso8601_utc(std::chrono::system_clock::now()); }

}  // namespace hookbroker::hook
