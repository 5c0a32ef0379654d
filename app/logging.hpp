#pragma once
// spdlog set-up shared by every subcommand: one line per event, to standard error.

#include <optional>
#include <string>

#include <spdlog/common.h>

namespace sixgate::app {

inline constexpr const char* kLogLevelNames = "trace, debug, info, warn, error, critical, off";

// "info" -> spdlog::level::info; nothing for a name spdlog does not know.
std::optional<spdlog::level::level_enum> parse_log_level(const std::string& name);

// --log-level given on the command line wins over the config's logging.level.
void pin_log_level();
bool log_level_pinned();

// Command-line tools print "warning: ..." lines; the daemon adds a timestamp.
void setup_logging(spdlog::level::level_enum level, bool with_timestamps);

}  // namespace sixgate::app
