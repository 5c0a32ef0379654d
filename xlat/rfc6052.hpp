#pragma once
// RFC 6052 IPv4-embedded IPv6 addresses: a translation prefix of one of the six allowed lengths,
// embedding and extraction after its section 2.2, and the Well-Known Prefix rules of section 3.1.

#include <array>
#include <cstdint>
#include <optional>

#include "net/ip_address.hpp"
#include "net/ip_prefix.hpp"
#include "net/result.hpp"

namespace sixgate::xlat {

// A validated RFC 6052 prefix (the Well-Known Prefix or a Network-Specific Prefix).
class Rfc6052Prefix {
public:
    // RFC 6052 2.2: the only prefix lengths the address format defines.
    static constexpr std::array<int, 6> kLengths{32, 40, 48, 56, 64, 96};

    // Refuses other lengths, and a /96 whose bits 64..71 (the "u" octet) are not zero
    // (RFC 6052 2.2). Host bits are already clear in an Ipv6Prefix.
    static Result<Rfc6052Prefix> create(const net::Ipv6Prefix& prefix);

    // 64:ff9b::/96 (RFC 6052 2.1).
    static Rfc6052Prefix well_known() noexcept;

    const net::Ipv6Prefix& prefix() const noexcept { return prefix_; }
    int length() const noexcept { return prefix_.length(); }
    bool contains(const net::Ipv6Address& address) const noexcept;

    // RFC 6052 2.2 Figure 1: the IPv4 address right after the prefix, skipping bits 64..71;
    // the u octet and the suffix are zero.
    net::Ipv6Address embed(net::Ipv4Address address) const noexcept;

    // The embedded IPv4 address, or nullopt when the address is not under this prefix.
    // A non-zero u octet or suffix is ignored, not refused: RFC 6052 2.2 has the suffix reserved
    // for future use and asks translators to ignore its value; the u octet is only constrained
    // where addresses are built, so we read the same way (embed() writes both as zero again).
    std::optional<net::Ipv4Address> extract(const net::Ipv6Address& address) const noexcept;

    // 64:ff9b::/96 exactly. RFC 8215's 64:ff9b:1::/48 is a Network-Specific Prefix for local
    // use, not the WKP, and carries no restriction.
    bool is_well_known() const noexcept { return well_known_; }

    // RFC 6052 3.1: the WKP must not represent non-global IPv4 addresses (private, shared,
    // documentation, loopback, multicast, ...: anything net::classify_ipv4 does not call
    // global), and a translator must drop packets that would use one. Any IPv4 address is
    // allowed under a Network-Specific Prefix.
    bool allowed(net::Ipv4Address address) const noexcept;

    bool operator==(const Rfc6052Prefix& other) const noexcept { return prefix_ == other.prefix_; }

private:
    explicit Rfc6052Prefix(const net::Ipv6Prefix& prefix) noexcept;

    net::Ipv6Prefix prefix_;
    std::array<std::uint8_t, 4> offsets_{};  // byte offset of each IPv4 octet in the address
    bool well_known_ = false;
};

}  // namespace sixgate::xlat
