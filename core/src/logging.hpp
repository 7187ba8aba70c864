// The broker's logger: one stderr sink shared by the core and every plugin
// (each plugin's lines carry its name).
#pragma once

#include <memory>
#include <string>

#include <spdlog/logger.h>

namespace hookbroker::core {

std::shared_ptr<spdlog::logger> make_logger(const std::string& level);

}  // namespace hookbroker::core
