// The heartbeat as it leaves the broker: the seed's envelope around `data`,
// serialised once for every transport, with the values contributors hold as
// JSON text spliced in rather than parsed and serialised again.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hookbroker/heartbeat_contributor.hpp"

namespace hookbroker::core {

/// The heartbeat envelope around `data`, as the seed defines it.
nlohmann::json heartbeat_envelope(nlohmann::json data, const std::string& timestamp);

/// `envelope` (whose `data` is an object) as compact JSON, with each of
/// `serialized` added to `data` as its text. A key in both places takes the
/// text (callers remove it from `data` first; a duplicate would be invalid).
std::string serialize_heartbeat(const nlohmann::json& envelope, const std::vector<SerializedValue>& serialized);

/// `envelope` with each of `serialized` parsed into its `data`: the whole
/// heartbeat for plugins that read it. The texts were validated on arrival.
nlohmann::json with_serialized_values(nlohmann::json envelope, const std::vector<SerializedValue>& serialized);

}  // namespace hookbroker::core
