#pragma once
// The process exit status of every sixgate command (documented in docs/cli.md).

namespace sixgate::app {

inline constexpr int kExitOk = 0;          // done; for checks: every expectation met
inline constexpr int kExitFailure = 1;     // ran, but something failed at run time
inline constexpr int kExitUsage = 2;       // bad command line, bad config or bad input
inline constexpr int kExitUnavailable = 3; // a prerequisite is missing (not root, no TUN, ...)

}  // namespace sixgate::app
