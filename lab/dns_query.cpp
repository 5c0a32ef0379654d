#include "lab/dns_query.hpp"

#include <string>

namespace sixgate::lab {
namespace {

constexpr std::size_t kHeaderBytes = 12;
constexpr std::uint16_t kFlagResponse = 0x8000;
constexpr std::uint16_t kFlagRecursionDesired = 0x0100;
constexpr int kMaxPointerHops = 32;  // RFC 1035 4.1.4 pointers: a loop guard

std::uint16_t load_be16(std::span<const std::uint8_t> bytes, std::size_t at) {
    return std::uint16_t(bytes[at] << 8 | bytes[at + 1]);
}

void append_be16(std::vector<std::uint8_t>& out, std::uint16_t value) {
    out.push_back(std::uint8_t(value >> 8));
    out.push_back(std::uint8_t(value));
}

Error malformed(const std::string& what) { return make_error(std::errc::bad_message, "malformed DNS reply: " + what); }

// The offset just past the (possibly compressed) name at `at`, RFC 1035 4.1.4.
Result<std::size_t> skip_name(std::span<const std::uint8_t> message, std::size_t at) {
    for (int hops = 0; hops < kMaxPointerHops * 8; ++hops) {
        if (at >= message.size()) return malformed("a name runs past the end");
        const std::uint8_t length = message[at];
        if (length == 0) return at + 1;
        if ((length & 0xc0) == 0xc0) {
            if (at + 2 > message.size()) return malformed("a name pointer runs past the end");
            return at + 2;  // a pointer ends the name here
        }
        if ((length & 0xc0) != 0) return malformed("a label type other than length or pointer");
        at += 1 + length;
    }
    return malformed("a name with too many labels");
}

}  // namespace

Result<std::vector<std::uint8_t>> encode_aaaa_query(std::uint16_t id, std::string_view name) {
    if (name.ends_with('.')) name.remove_suffix(1);
    if (name.empty() || name.size() > 253)
        return make_error(std::errc::invalid_argument, "a DNS name is 1..253 bytes, found '" + std::string(name) + "'");
    std::vector<std::uint8_t> out;
    append_be16(out, id);
    append_be16(out, kFlagRecursionDesired);
    append_be16(out, 1);  // QDCOUNT
    append_be16(out, 0);
    append_be16(out, 0);
    append_be16(out, 0);
    while (!name.empty()) {
        const std::size_t dot = name.find('.');
        const std::string_view label = name.substr(0, dot);
        if (label.empty() || label.size() > 63)
            return make_error(std::errc::invalid_argument, "a DNS label is 1..63 bytes, found '" + std::string(label) + "'");
        out.push_back(std::uint8_t(label.size()));
        out.insert(out.end(), label.begin(), label.end());
        name = dot == std::string_view::npos ? std::string_view() : name.substr(dot + 1);
    }
    out.push_back(0);
    append_be16(out, kDnsTypeAaaa);
    append_be16(out, kDnsClassIn);
    return out;
}

Result<std::vector<net::Ipv6Address>> parse_aaaa_answer(std::span<const std::uint8_t> message, std::uint16_t id) {
    if (message.size() < kHeaderBytes) return malformed("shorter than its 12-byte header");
    if (load_be16(message, 0) != id) return malformed("the id is not the query's");
    const std::uint16_t flags = load_be16(message, 2);
    if (!(flags & kFlagResponse)) return malformed("not a response (QR=0)");
    if (const int rcode = flags & 0x000f; rcode != 0) {
        static constexpr const char* kNames[] = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED"};
        return make_error(std::errc::protocol_error,
                          "rcode=" + std::to_string(rcode) + (rcode < 6 ? std::string(" ") + kNames[rcode] : ""));
    }
    const std::uint16_t questions = load_be16(message, 4);
    const std::uint16_t answers = load_be16(message, 6);
    std::size_t at = kHeaderBytes;
    for (std::uint16_t i = 0; i < questions; ++i) {
        auto end = skip_name(message, at);
        if (!end) return end.error();
        at = *end + 4;  // QTYPE, QCLASS
        if (at > message.size()) return malformed("the question runs past the end");
    }
    std::vector<net::Ipv6Address> addresses;
    for (std::uint16_t i = 0; i < answers; ++i) {
        auto end = skip_name(message, at);
        if (!end) return end.error();
        at = *end;
        if (at + 10 > message.size()) return malformed("an answer record's header runs past the end");
        const std::uint16_t type = load_be16(message, at);
        const std::uint16_t klass = load_be16(message, at + 2);
        const std::uint16_t length = load_be16(message, at + 8);
        at += 10;
        if (at + length > message.size()) return malformed("an answer record's data runs past the end");
        if (type == kDnsTypeAaaa && klass == kDnsClassIn) {
            if (length != 16) return malformed("an AAAA record of " + std::to_string(length) + " bytes, not 16");
            net::Ipv6Address::Bytes bytes{};
            for (std::size_t k = 0; k < 16; ++k) bytes[k] = message[at + k];
            addresses.emplace_back(bytes);
        }
        at += length;
    }
    return addresses;
}

}  // namespace sixgate::lab
