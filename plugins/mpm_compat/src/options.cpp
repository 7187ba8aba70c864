#include "options.hpp"

namespace hookbroker::mpm {

std::vector<hookbroker_config_option> Options::table() {
  return {
      ranged_option("max_file_bytes", ConfigType::Int, "2097152",
                    "largest file /api/file/read and POST /api/file serve; bigger ones get 413", 1, 1073741824),
      ranged_option("max_list_entries", ConfigType::Int, "2000",
                    "directory entries /api/files lists; past it the answer says \"truncated\": true", 1, 1000000),
      ranged_option("git_timeout_ms", ConfigType::Int, "5000",
                    "ms one git run (/api/file/diff, /api/git-history) may take before it is killed", 100, 600000),
      ranged_option("max_git_output_bytes", ConfigType::Int, "4194304",
                    "output kept from one git run; a longer diff or log gets 413", 1024, 1073741824),
  };
}

Options Options::from_config(const nlohmann::json& config) {
  Options o;
  o.max_file_bytes = config.at("max_file_bytes").get<std::size_t>();
  o.max_list_entries = config.at("max_list_entries").get<std::size_t>();
  o.git_timeout = std::chrono::milliseconds(config.at("git_timeout_ms").get<std::int64_t>());
  o.max_git_output_bytes = config.at("max_git_output_bytes").get<std::size_t>();
  return o;
}

}  // namespace hookbroker::mpm
