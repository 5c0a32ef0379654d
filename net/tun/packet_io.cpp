#include "net/tun/packet_io.hpp"

namespace sixgate::net::tun {

std::string_view to_string(WriteOutcome outcome) noexcept {
    switch (outcome) {
        case WriteOutcome::kWritten:
            return "written";
        case WriteOutcome::kWouldBlock:
            return "would block";
        case WriteOutcome::kDeviceDown:
            return "device down";
        case WriteOutcome::kRejected:
            return "rejected";
        case WriteOutcome::kFailed:
            return "failed";
    }
    return "unknown";
}

}  // namespace sixgate::net::tun
