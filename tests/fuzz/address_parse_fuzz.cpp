// Fuzzes every text parser in net/: addresses and prefixes must parse or fail cleanly, and what
// parses must print back to text that parses to the same value.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "net/ip_prefix.hpp"

namespace {

template <class T>
void round_trip(std::string_view text) {
    auto value = T::parse(text);
    if (!value) return;
    auto again = T::parse(value->to_string());
    if (!again || *again != *value) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    round_trip<sixgate::net::Ipv4Address>(text);
    round_trip<sixgate::net::Ipv6Address>(text);
    round_trip<sixgate::net::Ipv4Prefix>(text);
    round_trip<sixgate::net::Ipv6Prefix>(text);
    return 0;
}
