#include "net/ip_address.hpp"

#include <charconv>
#include <cstdio>
#include <vector>

namespace sixgate::net {
namespace {

Error parse_error(std::string_view text, const std::string& why) {
    return make_error(std::errc::invalid_argument,
                      "'" + std::string(text) + "' is not a valid address: " + why);
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        std::size_t end = text.find(separator, start);
        parts.push_back(text.substr(start, end - start));
        if (end == std::string_view::npos) return parts;
        start = end + 1;
    }
}

}  // namespace

Result<Ipv4Address> Ipv4Address::parse(std::string_view text) {
    if (text.empty()) return parse_error(text, "empty");
    if (text.find('/') != std::string_view::npos)
        return parse_error(text, "a prefix length is not allowed here, give the address alone");
    if (text.find(':') != std::string_view::npos)
        return parse_error(text, "this is IPv6 text, an IPv4 address (A.B.C.D) is expected");
    const auto parts = split(text, '.');
    if (parts.size() != 4)
        return parse_error(text, "expected 4 dot-separated parts, found " +
                                     std::to_string(parts.size()));
    std::uint32_t value = 0;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const std::string_view part = parts[i];
        const std::string which = "part " + std::to_string(i + 1);
        if (part.empty()) return parse_error(text, which + " is empty");
        for (char c : part)
            if (c < '0' || c > '9')
                return parse_error(text, which + " '" + std::string(part) + "' is not a number");
        if (part.size() > 1 && part[0] == '0')
            return parse_error(text, which + " '" + std::string(part) +
                                         "' has a leading zero (ambiguous: octal in some tools)");
        unsigned number = 0;
        auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), number);
        if (ec != std::errc{} || end != part.data() + part.size() || number > 255)
            return parse_error(text, which + " '" + std::string(part) + "' is above 255");
        value = value << 8 | number;
    }
    return Ipv4Address(value);
}

std::string Ipv4Address::to_string() const {
    const auto b = bytes();
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
    return buffer;
}

Result<Ipv6Address> Ipv6Address::parse(std::string_view text) {
    if (text.empty()) return parse_error(text, "empty");
    if (text.find('/') != std::string_view::npos)
        return parse_error(text, "a prefix length is not allowed here, give the address alone");
    if (text.find('%') != std::string_view::npos)
        return parse_error(text, "a zone index (%) is not allowed here");
    if (text.find(':') == std::string_view::npos)
        return parse_error(text, "no ':' found, an IPv6 address is expected");

    // Split at "::" (at most one), then parse each side as colon-separated groups.
    const std::size_t gap = text.find("::");
    if (gap != std::string_view::npos && text.find("::", gap + 1) != std::string_view::npos)
        return parse_error(text, "'::' may appear only once");
    std::vector<std::uint16_t> head, tail;
    auto parse_side = [&](std::string_view side, std::vector<std::uint16_t>& groups,
                          bool may_end_in_ipv4) -> Result<void> {
        if (side.empty()) return {};
        const auto parts = split(side, ':');
        for (std::size_t i = 0; i < parts.size(); ++i) {
            const std::string_view part = parts[i];
            if (part.empty()) return parse_error(text, "empty group (single ':' at an end?)");
            if (part.find('.') != std::string_view::npos) {
                if (!may_end_in_ipv4 || i + 1 != parts.size())
                    return parse_error(text, "dotted IPv4 is allowed only as the last 32 bits");
                auto v4 = Ipv4Address::parse(part);
                if (!v4) return parse_error(text, "embedded IPv4 '" + std::string(part) + "' is invalid");
                groups.push_back(std::uint16_t(v4->to_uint() >> 16));
                groups.push_back(std::uint16_t(v4->to_uint()));
                continue;
            }
            if (part.size() > 4)
                return parse_error(text, "group '" + std::string(part) + "' has more than 4 hex digits");
            unsigned value = 0;
            for (char c : part) {
                const int digit = hex_value(c);
                if (digit < 0)
                    return parse_error(text, "group '" + std::string(part) + "' is not hexadecimal");
                value = value << 4 | unsigned(digit);
            }
            groups.push_back(std::uint16_t(value));
        }
        return {};
    };

    if (gap == std::string_view::npos) {
        if (auto r = parse_side(text, head, true); !r) return r.error();
        if (head.size() != 8)
            return parse_error(text, "expected 8 groups, found " + std::to_string(head.size()));
    } else {
        if (auto r = parse_side(text.substr(0, gap), head, false); !r) return r.error();
        if (auto r = parse_side(text.substr(gap + 2), tail, true); !r) return r.error();
        if (head.size() + tail.size() > 7)
            return parse_error(text, "too many groups for '::' to stand for any");
    }
    Ipv6Address address;
    for (std::size_t i = 0; i < head.size(); ++i) address.set_group(int(i), head[i]);
    for (std::size_t i = 0; i < tail.size(); ++i)
        address.set_group(int(8 - tail.size() + i), tail[i]);
    return address;
}

void Ipv6Address::set_u32(int byte_offset, std::uint32_t value) noexcept {
    for (int i = 0; i < 4; ++i) bytes_[byte_offset + i] = std::uint8_t(value >> (24 - 8 * i));
}

std::string Ipv6Address::to_string() const {
    // RFC 5952 5: IPv4-mapped addresses keep the dotted form for their last 32 bits.
    bool mapped = group(5) == 0xffff;
    for (int i = 0; i < 5; ++i) mapped = mapped && group(i) == 0;

    const int groups = mapped ? 6 : 8;
    // RFC 5952 4.2: compress the longest run of zero groups, the first one on a tie, never one alone.
    int best_start = -1, best_length = 0;
    for (int i = 0; i < groups;) {
        if (group(i) != 0) {
            ++i;
            continue;
        }
        int j = i;
        while (j < groups && group(j) == 0) ++j;
        if (j - i > best_length) best_start = i, best_length = j - i;
        i = j;
    }
    if (best_length < 2) best_start = -1;

    std::string out;
    char buffer[8];
    for (int i = 0; i < groups; ++i) {
        if (i == best_start) {
            out += "::";
            i += best_length - 1;
            continue;
        }
        if (!out.empty() && out.back() != ':') out += ':';
        std::snprintf(buffer, sizeof buffer, "%x", group(i));
        out += buffer;
    }
    if (mapped) {
        if (out.back() != ':') out += ':';
        out += Ipv4Address(std::uint32_t(group(6)) << 16 | group(7)).to_string();
    }
    return out;
}

}  // namespace sixgate::net
