// Reading a spool's records without draining them: how many wait (doctor),
// which event ids wait (spool_replay, to keep their ids in its journal).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "spool/spool_dir.hpp"
#include "spool/spool_record.hpp"

namespace hookbroker::spool {

/// Calls `fn` for every whole record in the spool file at `path`, in order;
/// damaged and incomplete byte ranges are not events and are passed over.
/// Nothing happens for a file that does not exist or cannot be read.
void for_each_record(const std::string& path, const std::function<void(const ScannedRecord&)>& fn);

/// Whole records in the spool file at `path`.
std::size_t count_records(const std::string& path);

/// The event ids of the records waiting in `dir` (events.spool and
/// draining.spool), in spool order.
std::vector<std::string> waiting_event_ids(const SpoolDir& dir);

}  // namespace hookbroker::spool
