#include "plat/plat_types.hpp"

namespace sixgate::plat {

std::string_view to_string(L4Protocol protocol) noexcept {
    switch (protocol) {
        case L4Protocol::tcp: return "tcp";
        case L4Protocol::udp: return "udp";
        case L4Protocol::icmp: return "icmp";
    }
    return "unknown";
}

}  // namespace sixgate::plat
