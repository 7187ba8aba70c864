#include "options.hpp"

namespace hookbroker::mpm {

Options Options::from_config(const nlohmann::json& config) {
  Options o;
  o.max_file_bytes = config.at("max_file_bytes").get<std::size_t>();
  o.max_list_entries = config.at("max_list_entries").get<std::size_t>();
  o.git_timeout = std::chrono::milliseconds(config.at("git_timeout_ms").get<std::int64_t>());
  o.max_git_output_bytes = config.at("max_git_output_bytes").get<std::size_t>();
  return o;
}

}  // namespace hookbroker::mpm
