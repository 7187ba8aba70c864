// Identity of one hook event: a random id (the broker drops a second event
// carrying an id it already accepted, which makes resending safe) and the
// time the hook fired (a replayed event keeps it as its timestamp).
#pragma once

#include <string>

namespace hookbroker::hook {

/// 32 lowercase hex digits from the kernel's random source.
std::string new_event_id();

/// Now, as UTC ISO-8601 with milliseconds.
std::string now_timestamp();

}  // namespace hookbroker::hook
