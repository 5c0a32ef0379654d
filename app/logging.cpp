#include "app/logging.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace sixgate::app {

std::optional<spdlog::level::level_enum> parse_log_level(const std::string& name) {
    // spdlog maps unknown names to "off"; only accept the names it really knows.
    const auto level = spdlog::level::from_str(name);
    if (level == spdlog::level::off && name != "off") return std::nullopt;
    return level;
}

namespace {
bool level_pinned = false;
}

void pin_log_level() { level_pinned = true; }
bool log_level_pinned() { return level_pinned; }

void setup_logging(spdlog::level::level_enum level, bool with_timestamps) {
    auto logger = spdlog::get("sixgate");
    if (!logger) logger = spdlog::stderr_color_mt("sixgate");
    logger->set_pattern(with_timestamps ? "%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v" : "%^%l%$: %v");
    logger->set_level(level);
    spdlog::set_default_logger(logger);
}

}  // namespace sixgate::app
