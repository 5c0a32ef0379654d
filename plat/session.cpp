#include "plat/session.hpp"

#include "plat/hash_index.hpp"

namespace sixgate::plat {

std::uint64_t session_hash(std::uint32_t bib, const Ipv4Transport& remote,
                           std::uint64_t seed) noexcept {
    return mix64((std::uint64_t{bib} << 32 | remote.address.to_uint()) ^ seed) ^
           mix64(std::uint64_t{remote.port} + seed);
}

TimerClass timer_class_for(L4Protocol protocol) noexcept {
    switch (protocol) {
        case L4Protocol::udp: return TimerClass::udp;
        case L4Protocol::icmp: return TimerClass::icmp;
        case L4Protocol::tcp: break;
    }
    return TimerClass::tcp_transitory;
}

std::string_view session_state_name(L4Protocol protocol, TcpState state) noexcept {
    if (protocol != L4Protocol::tcp) return "active";
    return to_string(state);
}

}  // namespace sixgate::plat
