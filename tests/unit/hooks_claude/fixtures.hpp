// Reading the recorded hook fixtures in tests/fixtures/hooks.
#pragma once

#include <fstream>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

inline nlohmann::json load_hook_fixture(const std::string& name) {
  const std::string path = std::string(HOOK_FIXTURES_DIR) + "/" + name;
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open fixture " + path);
  return nlohmann::json::parse(in);
}
