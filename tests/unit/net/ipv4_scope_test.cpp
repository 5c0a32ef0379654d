#include "net/ipv4_scope.hpp"

#include <gtest/gtest.h>

namespace sixgate::net {
namespace {

struct ScopeCase {
    const char* address;
    Ipv4Reach reach;
    const char* block;  // "" for an ordinary global address
};

void PrintTo(const ScopeCase& input, std::ostream* out) { *out << input.address; }

class Ipv4ScopeBoundary : public testing::TestWithParam<ScopeCase> {};

TEST_P(Ipv4ScopeBoundary, ClassifiesByTheMostSpecificRegistryEntry) {
    const Ipv4Scope scope = classify_ipv4(*Ipv4Address::parse(GetParam().address));
    EXPECT_EQ(scope.reach, GetParam().reach) << GetParam().address;
    EXPECT_EQ(scope.block, GetParam().block) << GetParam().address;
}

using R = Ipv4Reach;
// The first and last address of every special-purpose block, and the neighbours just outside.
INSTANTIATE_TEST_SUITE_P(
    IanaRegistry, Ipv4ScopeBoundary,
    testing::Values(
        ScopeCase{"0.0.0.0", R::not_unicast, "0.0.0.0/8"},
        ScopeCase{"0.255.255.255", R::not_unicast, "0.0.0.0/8"},
        ScopeCase{"1.0.0.0", R::global, ""},
        ScopeCase{"1.0.0.1", R::global, ""},
        ScopeCase{"9.255.255.255", R::global, ""},
        ScopeCase{"10.0.0.0", R::non_global, "10.0.0.0/8"},
        ScopeCase{"10.255.255.255", R::non_global, "10.0.0.0/8"},
        ScopeCase{"11.0.0.0", R::global, ""},
        ScopeCase{"100.63.255.255", R::global, ""},
        ScopeCase{"100.64.0.0", R::non_global, "100.64.0.0/10"},
        ScopeCase{"100.127.255.255", R::non_global, "100.64.0.0/10"},
        ScopeCase{"100.128.0.0", R::global, ""},
        ScopeCase{"126.255.255.255", R::global, ""},
        ScopeCase{"127.0.0.0", R::not_unicast, "127.0.0.0/8"},
        ScopeCase{"127.255.255.255", R::not_unicast, "127.0.0.0/8"},
        ScopeCase{"128.0.0.0", R::global, ""},
        ScopeCase{"169.253.255.255", R::global, ""},
        ScopeCase{"169.254.0.0", R::non_global, "169.254.0.0/16"},
        ScopeCase{"169.254.255.255", R::non_global, "169.254.0.0/16"},
        ScopeCase{"169.255.0.0", R::global, ""},
        ScopeCase{"172.15.255.255", R::global, ""},
        ScopeCase{"172.16.0.0", R::non_global, "172.16.0.0/12"},
        ScopeCase{"172.31.255.255", R::non_global, "172.16.0.0/12"},
        ScopeCase{"172.32.0.0", R::global, ""},
        ScopeCase{"191.255.255.255", R::global, ""},
        ScopeCase{"192.0.0.0", R::non_global, "192.0.0.0/29"},
        ScopeCase{"192.0.0.7", R::non_global, "192.0.0.0/29"},
        ScopeCase{"192.0.0.8", R::non_global, "192.0.0.8/32"},
        ScopeCase{"192.0.0.9", R::global, "192.0.0.9/32"},
        ScopeCase{"192.0.0.10", R::global, "192.0.0.10/32"},
        ScopeCase{"192.0.0.11", R::non_global, "192.0.0.0/24"},
        ScopeCase{"192.0.0.170", R::non_global, "192.0.0.170/32"},
        ScopeCase{"192.0.0.171", R::non_global, "192.0.0.171/32"},
        ScopeCase{"192.0.0.255", R::non_global, "192.0.0.0/24"},
        ScopeCase{"192.0.1.0", R::global, ""},
        ScopeCase{"192.0.1.255", R::global, ""},
        ScopeCase{"192.0.2.0", R::non_global, "192.0.2.0/24"},
        ScopeCase{"192.0.2.255", R::non_global, "192.0.2.0/24"},
        ScopeCase{"192.0.3.0", R::global, ""},
        ScopeCase{"192.31.196.0", R::global, "192.31.196.0/24"},
        ScopeCase{"192.52.193.255", R::global, "192.52.193.0/24"},
        ScopeCase{"192.88.98.255", R::global, ""},
        ScopeCase{"192.88.99.0", R::non_global, "192.88.99.0/24"},
        ScopeCase{"192.88.99.1", R::non_global, "192.88.99.0/24"},
        ScopeCase{"192.88.99.2", R::global, "192.88.99.2/32"},
        ScopeCase{"192.88.99.255", R::non_global, "192.88.99.0/24"},
        ScopeCase{"192.88.100.0", R::global, ""},
        ScopeCase{"192.167.255.255", R::global, ""},
        ScopeCase{"192.168.0.0", R::non_global, "192.168.0.0/16"},
        ScopeCase{"192.168.255.255", R::non_global, "192.168.0.0/16"},
        ScopeCase{"192.169.0.0", R::global, ""},
        ScopeCase{"192.175.48.0", R::global, "192.175.48.0/24"},
        ScopeCase{"198.17.255.255", R::global, ""},
        ScopeCase{"198.18.0.0", R::non_global, "198.18.0.0/15"},
        ScopeCase{"198.19.255.255", R::non_global, "198.18.0.0/15"},
        ScopeCase{"198.20.0.0", R::global, ""},
        ScopeCase{"198.51.99.255", R::global, ""},
        ScopeCase{"198.51.100.0", R::non_global, "198.51.100.0/24"},
        ScopeCase{"198.51.100.255", R::non_global, "198.51.100.0/24"},
        ScopeCase{"198.51.101.0", R::global, ""},
        ScopeCase{"203.0.112.255", R::global, ""},
        ScopeCase{"203.0.113.0", R::non_global, "203.0.113.0/24"},
        ScopeCase{"203.0.113.255", R::non_global, "203.0.113.0/24"},
        ScopeCase{"203.0.114.0", R::global, ""},
        ScopeCase{"223.255.255.254", R::global, ""},
        ScopeCase{"223.255.255.255", R::global, ""},
        ScopeCase{"224.0.0.0", R::not_unicast, "224.0.0.0/4"},
        ScopeCase{"239.255.255.255", R::not_unicast, "224.0.0.0/4"},
        ScopeCase{"240.0.0.0", R::not_unicast, "240.0.0.0/4"},
        ScopeCase{"255.255.255.254", R::not_unicast, "240.0.0.0/4"},
        ScopeCase{"255.255.255.255", R::not_unicast, "255.255.255.255/32"}));

}  // namespace
}  // namespace sixgate::net
