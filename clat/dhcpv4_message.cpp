#include "clat/dhcpv4_message.hpp"

#include <cstring>

#include "net/byte_order.hpp"

namespace sixgate::clat {
namespace {

// RFC 2131 2, figure 1: the fixed BOOTP header.
constexpr std::size_t kOpOffset = 0;
constexpr std::size_t kHtypeOffset = 1;
constexpr std::size_t kHlenOffset = 2;
constexpr std::size_t kXidOffset = 4;
constexpr std::size_t kSecsOffset = 8;
constexpr std::size_t kFlagsOffset = 10;
constexpr std::size_t kYiaddrOffset = 16;
constexpr std::size_t kChaddrOffset = 28;
constexpr std::size_t kSnameOffset = 44;
constexpr std::size_t kSnameSize = 64;
constexpr std::size_t kFileOffset = 108;
constexpr std::size_t kFileSize = 128;
constexpr std::size_t kCookieOffset = 236;
constexpr std::size_t kOptionsOffset = 240;
constexpr std::size_t kBootpMinimumSize = 300;  // RFC 1542 2.1

constexpr std::uint8_t kBootRequest = 1;
constexpr std::uint8_t kBootReply = 2;
constexpr std::uint8_t kHardwareEthernet = 1;
constexpr std::uint16_t kBroadcastFlag = 0x8000;    // RFC 2131 2, figure 2
constexpr std::uint32_t kMagicCookie = 0x63825363;  // RFC 2131 3: 99.130.83.99

constexpr std::uint8_t kOptionPad = 0;
constexpr std::uint8_t kOptionEnd = 255;
constexpr std::uint8_t kOptionSubnetMask = 1;
constexpr std::uint8_t kOptionRouter = 3;
constexpr std::uint8_t kOptionRequestedAddress = 50;
constexpr std::uint8_t kOptionLeaseTime = 51;
constexpr std::uint8_t kOptionOverload = 52;
constexpr std::uint8_t kOptionMessageType = 53;
constexpr std::uint8_t kOptionServerId = 54;
constexpr std::uint8_t kOptionParameterRequestList = 55;

class Builder {
public:
    explicit Builder(const DhcpClientFields& client) : bytes_(kOptionsOffset) {
        bytes_[kOpOffset] = std::byte{kBootRequest};
        bytes_[kHtypeOffset] = std::byte{kHardwareEthernet};
        bytes_[kHlenOffset] = std::byte{6};
        net::store_be32(bytes_, kXidOffset, client.xid);
        net::store_be16(bytes_, kSecsOffset, client.secs);
        // RFC 2131 4.1: a client that cannot receive unicast before it has an address sets the
        // broadcast bit.
        net::store_be16(bytes_, kFlagsOffset, kBroadcastFlag);
        std::memcpy(bytes_.data() + kChaddrOffset, client.mac.data(), client.mac.size());
        net::store_be32(bytes_, kCookieOffset, kMagicCookie);
    }
    void option(std::uint8_t code, std::span<const std::uint8_t> value) {
        bytes_.push_back(std::byte{code});
        bytes_.push_back(std::byte{static_cast<std::uint8_t>(value.size())});
        for (std::uint8_t b : value) bytes_.push_back(std::byte{b});
    }
    void address_option(std::uint8_t code, net::Ipv4Address address) {
        const auto b = address.bytes();
        option(code, b);
    }
    std::vector<std::byte> finish() && {
        option(kOptionParameterRequestList, kParameterRequestList);
        bytes_.push_back(std::byte{kOptionEnd});
        if (bytes_.size() < kBootpMinimumSize)
            bytes_.resize(kBootpMinimumSize, std::byte{kOptionPad});
        return std::move(bytes_);
    }

private:
    std::vector<std::byte> bytes_;
};

std::uint8_t at(std::span<const std::byte> bytes, std::size_t offset) noexcept {
    return std::to_integer<std::uint8_t>(bytes[offset]);
}

// Walks one options field; false if an option runs past its end. Stops at END; a field without
// END is accepted (RFC 2131 leaves padding to the end of sname/file).
template <class Visit>
bool walk_options(std::span<const std::byte> field, Visit&& visit) {
    std::size_t i = 0;
    while (i < field.size()) {
        const std::uint8_t code = at(field, i);
        if (code == kOptionEnd) return true;
        if (code == kOptionPad) {
            ++i;
            continue;
        }
        if (i + 1 >= field.size()) return false;
        const std::size_t length = at(field, i + 1);
        if (i + 2 + length > field.size()) return false;
        if (!visit(code, field.subspan(i + 2, length))) return true;
        i += 2 + length;
    }
    return true;
}

}  // namespace

std::string_view to_string(DhcpMessageType type) noexcept {
    switch (type) {
        case DhcpMessageType::discover:
            return "discover";
        case DhcpMessageType::offer:
            return "offer";
        case DhcpMessageType::request:
            return "request";
        case DhcpMessageType::decline:
            return "decline";
        case DhcpMessageType::ack:
            return "ack";
        case DhcpMessageType::nak:
            return "nak";
        case DhcpMessageType::release:
            return "release";
        case DhcpMessageType::inform:
            return "inform";
    }
    return "unknown";
}

std::string_view to_string(DhcpDropReason reason) noexcept {
    switch (reason) {
        case DhcpDropReason::too_short:
            return "too_short";
        case DhcpDropReason::not_a_reply:
            return "not_a_reply";
        case DhcpDropReason::bad_hardware:
            return "bad_hardware";
        case DhcpDropReason::no_magic_cookie:
            return "no_magic_cookie";
        case DhcpDropReason::truncated_option:
            return "truncated_option";
        case DhcpDropReason::no_message_type:
            return "no_message_type";
        case DhcpDropReason::wrong_message_type:
            return "wrong_message_type";
        case DhcpDropReason::wrong_xid:
            return "wrong_xid";
        case DhcpDropReason::wrong_chaddr:
            return "wrong_chaddr";
        case DhcpDropReason::count_:
            break;
    }
    return "unknown";
}

std::vector<std::byte> build_dhcp_discover(const DhcpClientFields& client) {
    Builder builder(client);
    const std::uint8_t type = static_cast<std::uint8_t>(DhcpMessageType::discover);
    builder.option(kOptionMessageType, std::span(&type, 1));
    return std::move(builder).finish();
}

std::vector<std::byte> build_dhcp_request(const DhcpClientFields& client,
                                          net::Ipv4Address requested, net::Ipv4Address server_id) {
    Builder builder(client);
    const std::uint8_t type = static_cast<std::uint8_t>(DhcpMessageType::request);
    builder.option(kOptionMessageType, std::span(&type, 1));
    builder.address_option(kOptionRequestedAddress, requested);
    builder.address_option(kOptionServerId, server_id);
    // RFC 8925 3.2: option 108 in the Parameter Request List of the REQUEST as well (finish()).
    return std::move(builder).finish();
}

Expected<DhcpReplyView, DhcpDropReason> DhcpReplyView::parse(std::span<const std::byte> bytes) {
    if (bytes.size() < kOptionsOffset) return DhcpDropReason::too_short;
    if (at(bytes, kOpOffset) != kBootReply) return DhcpDropReason::not_a_reply;
    if (at(bytes, kHtypeOffset) != kHardwareEthernet || at(bytes, kHlenOffset) != 6)
        return DhcpDropReason::bad_hardware;
    if (net::load_be32(bytes, kCookieOffset) != kMagicCookie)
        return DhcpDropReason::no_magic_cookie;

    DhcpReplyView view(bytes);
    std::optional<std::uint8_t> type;
    bool type_malformed = false;
    auto visit = [&](std::uint8_t code, std::span<const std::byte> value) {
        if (code == kOptionMessageType && !type && !type_malformed) {
            if (value.size() == 1)
                type = at(value, 0);
            else
                type_malformed = true;
        }
        if (code == kOptionOverload && value.size() == 1 && view.overload_ == 0)
            view.overload_ = at(value, 0) & 3;
        return true;
    };
    if (!walk_options(bytes.subspan(kOptionsOffset), visit))
        return DhcpDropReason::truncated_option;
    // RFC 2132 9.3: option 52 moves more options into file (1), sname (2) or both (3).
    if ((view.overload_ & 1) && !walk_options(bytes.subspan(kFileOffset, kFileSize), visit))
        return DhcpDropReason::truncated_option;
    if ((view.overload_ & 2) && !walk_options(bytes.subspan(kSnameOffset, kSnameSize), visit))
        return DhcpDropReason::truncated_option;
    if (!type || type_malformed) return DhcpDropReason::no_message_type;
    if (*type != static_cast<std::uint8_t>(DhcpMessageType::offer) &&
        *type != static_cast<std::uint8_t>(DhcpMessageType::ack) &&
        *type != static_cast<std::uint8_t>(DhcpMessageType::nak))
        return DhcpDropReason::wrong_message_type;
    view.type_ = static_cast<DhcpMessageType>(*type);
    return view;
}

std::uint32_t DhcpReplyView::xid() const noexcept {
    return net::load_be32(bytes_, kXidOffset);
}

std::array<std::uint8_t, 6> DhcpReplyView::chaddr() const noexcept {
    std::array<std::uint8_t, 6> mac{};
    std::memcpy(mac.data(), bytes_.data() + kChaddrOffset, mac.size());
    return mac;
}

net::Ipv4Address DhcpReplyView::yiaddr() const noexcept {
    return net::Ipv4Address(net::load_be32(bytes_, kYiaddrOffset));
}

std::optional<std::span<const std::byte>> DhcpReplyView::option(std::uint8_t code) const noexcept {
    std::optional<std::span<const std::byte>> found;
    auto visit = [&](std::uint8_t c, std::span<const std::byte> value) {
        if (c == code) found = value;
        return !found;
    };
    (void)walk_options(bytes_.subspan(kOptionsOffset), visit);
    if (!found && (overload_ & 1))
        (void)walk_options(bytes_.subspan(kFileOffset, kFileSize), visit);
    if (!found && (overload_ & 2))
        (void)walk_options(bytes_.subspan(kSnameOffset, kSnameSize), visit);
    return found;
}

namespace {
std::optional<net::Ipv4Address> address_of(std::optional<std::span<const std::byte>> value,
                                           bool allow_list) {
    if (!value || value->size() < 4 || (!allow_list && value->size() != 4)) return std::nullopt;
    return net::Ipv4Address(net::load_be32(*value, 0));
}
}  // namespace

std::optional<net::Ipv4Address> DhcpReplyView::server_id() const noexcept {
    return address_of(option(kOptionServerId), false);
}

std::optional<net::Ipv4Address> DhcpReplyView::subnet_mask() const noexcept {
    return address_of(option(kOptionSubnetMask), false);
}

std::optional<net::Ipv4Address> DhcpReplyView::router() const noexcept {
    // RFC 2132 3.5: a list of routers in order of preference, a multiple of 4 bytes.
    auto value = option(kOptionRouter);
    if (!value || value->size() % 4 != 0) return std::nullopt;
    return address_of(value, true);
}

std::optional<std::uint32_t> DhcpReplyView::lease_time() const noexcept {
    auto value = option(kOptionLeaseTime);
    if (!value || value->size() != 4) return std::nullopt;
    return net::load_be32(*value, 0);
}

std::optional<std::uint32_t> DhcpReplyView::ipv6_only_wait() const noexcept {
    // RFC 8925 3.1: the client ignores the option unless its length is 4.
    auto value = option(kOptionIpv6OnlyPreferred);
    if (!value || value->size() != 4) return std::nullopt;
    return net::load_be32(*value, 0);
}

bool DhcpReplyView::ipv6_only_option_malformed() const noexcept {
    auto value = option(kOptionIpv6OnlyPreferred);
    return value && value->size() != 4;
}

Expected<DhcpReplyView, DhcpDropReason> parse_dhcp_reply(std::span<const std::byte> bytes,
                                                         const DhcpClientFields& client) {
    auto view = DhcpReplyView::parse(bytes);
    if (!view) return view;
    if (view->xid() != client.xid) return DhcpDropReason::wrong_xid;
    if (view->chaddr() != client.mac) return DhcpDropReason::wrong_chaddr;
    return view;
}

}  // namespace sixgate::clat
