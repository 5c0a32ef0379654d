#pragma once
// Literal addresses and prefixes for the address-mapping tests; a bad literal fails the test.

#include <gtest/gtest.h>

#include <string_view>

#include "net/ip_address.hpp"
#include "net/ip_prefix.hpp"

namespace sixgate::xlat::testing {

inline net::Ipv4Address v4(std::string_view text) {
    auto address = net::Ipv4Address::parse(text);
    EXPECT_TRUE(address) << text;
    return address ? *address : net::Ipv4Address();
}

inline net::Ipv6Address v6(std::string_view text) {
    auto address = net::Ipv6Address::parse(text);
    EXPECT_TRUE(address) << text;
    return address ? *address : net::Ipv6Address();
}

inline net::Ipv4Prefix p4(std::string_view text) {
    auto prefix = net::Ipv4Prefix::parse(text);
    EXPECT_TRUE(prefix) << text;
    return prefix ? *prefix : net::Ipv4Prefix();
}

inline net::Ipv6Prefix p6(std::string_view text) {
    auto prefix = net::Ipv6Prefix::parse(text);
    EXPECT_TRUE(prefix) << text;
    return prefix ? *prefix : net::Ipv6Prefix();
}

// A globally reachable IPv4 address (not in any special-purpose block), for WKP tests.
inline const net::Ipv4Address kGlobalIpv4{8, 8, 8, 8};

}  // namespace sixgate::xlat::testing
