#include "xlat/mtu.hpp"

namespace sixgate::xlat {

// Compile-time checks of the worked numbers in RFC 7915 4.1 and 5.
static_assert(kIpv4DfThreshold == 1260);
static_assert(decide_ipv4_to_ipv6_size({.total_length = 1500, .ipv6_next_hop_mtu = 1500})
                  .fragment_payload == 1232);
static_assert(packet_too_big_mtu({.icmp4_mtu = 576}) == kIpv6MinimumMtu);
static_assert(frag_needed_mtu({.icmp6_mtu = 1500}) == 1480);

}  // namespace sixgate::xlat
