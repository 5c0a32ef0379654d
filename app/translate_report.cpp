#include "app/translate_report.hpp"

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "net/byte_order.hpp"
#include "net/packet/ipv4_view.hpp"
#include "net/packet/ipv6_view.hpp"
#include "net/packet/protocol_numbers.hpp"

namespace sixgate::app {
namespace {

using capture::NotIpReason;
namespace packet = net::packet;

constexpr NotIpReason kNotIpReasons[] = {NotIpReason::non_ip_protocol,
                                         NotIpReason::link_header_truncated,
                                         NotIpReason::unknown_ip_version};
constexpr std::string_view kTruncatedBySnaplen = "truncated_by_snaplen";

std::string_view icmp4_name(std::uint8_t type) {
    switch (type) {
        case 0:
            return "echo-reply";
        case 3:
            return "destination-unreachable";
        case 4:
            return "source-quench";
        case 5:
            return "redirect";
        case 8:
            return "echo-request";
        case 11:
            return "time-exceeded";
        case 12:
            return "parameter-problem";
        case 13:
            return "timestamp";
        case 14:
            return "timestamp-reply";
        default:
            return {};
    }
}

std::string_view icmp6_name(std::uint8_t type) {
    switch (type) {
        case 1:
            return "destination-unreachable";
        case 2:
            return "packet-too-big";
        case 3:
            return "time-exceeded";
        case 4:
            return "parameter-problem";
        case 128:
            return "echo-request";
        case 129:
            return "echo-reply";
        case 133:
            return "router-solicitation";
        case 134:
            return "router-advertisement";
        case 135:
            return "neighbor-solicitation";
        case 136:
            return "neighbor-advertisement";
        case 137:
            return "redirect";
        default:
            return {};
    }
}

// The upper-layer part: "udp 4000 > 53", "icmp echo-request id 7 seq 1", "tcp" (no header).
std::string describe_upper_layer(std::uint8_t protocol, std::span<const std::byte> payload,
                                 bool has_header) {
    const bool icmp4 = protocol == packet::kProtoIcmp, icmp6 = protocol == packet::kProtoIcmpv6;
    std::string text;
    if (protocol == packet::kProtoTcp)
        text = "tcp";
    else if (protocol == packet::kProtoUdp)
        text = "udp";
    else if (icmp4)
        text = "icmp";
    else if (icmp6)
        text = "icmpv6";
    else
        return "protocol " + std::to_string(protocol);
    if (!has_header || payload.size() < 4) return text;
    if (!icmp4 && !icmp6) {
        return text + " " + std::to_string(net::load_be16(payload, 0)) + " > " +
               std::to_string(net::load_be16(payload, 2));
    }
    const auto type = std::to_integer<std::uint8_t>(payload[0]);
    const auto code = std::to_integer<std::uint8_t>(payload[1]);
    const std::string_view name = icmp4 ? icmp4_name(type) : icmp6_name(type);
    text += name.empty() ? " type " + std::to_string(type) : " " + std::string(name);
    const bool echo = icmp4 ? (type == 0 || type == 8) : (type == 128 || type == 129);
    if (echo && payload.size() >= 8) {
        text += " id " + std::to_string(net::load_be16(payload, 4)) + " seq " +
                std::to_string(net::load_be16(payload, 6));
        return text;
    }
    const bool error =
        icmp4 ? (type == 3 || type == 4 || type == 5 || type == 11 || type == 12) : type < 128;
    if (error || name.empty()) text += " code " + std::to_string(code);
    if (payload.size() >= 8) {
        // RFC 1191 4: the Next-Hop MTU of Fragmentation Needed; RFC 4443 3.2: the PTB MTU.
        if (icmp4 && type == 3 && code == 4)
            text += " mtu " + std::to_string(net::load_be16(payload, 6));
        if (icmp6 && type == 2) text += " mtu " + std::to_string(net::load_be32(payload, 4));
    }
    return text;
}

std::string fragment_text(std::uint32_t offset, bool more) {
    return ", fragment offset " + std::to_string(offset) + (more ? " more" : " last");
}

struct Row {
    std::string label;
    std::uint64_t value = 0;
    std::string note;
};

std::string render_rows(const std::vector<Row>& rows) {
    std::size_t label_width = 0, value_width = 0;
    for (const Row& row : rows) {
        label_width = std::max(label_width, row.label.size());
        value_width = std::max(value_width, std::to_string(row.value).size());
    }
    std::string text;
    for (const Row& row : rows) {
        const std::string value = std::to_string(row.value);
        text += row.label + std::string(label_width - row.label.size() + 2, ' ') +
                std::string(value_width - value.size(), ' ') + value;
        if (!row.note.empty()) text += "  " + row.note;
        text += '\n';
    }
    return text;
}

}  // namespace

std::string describe_packet(std::span<const std::byte> bytes) {
    const std::string length = ", " + std::to_string(bytes.size()) + " bytes";
    if (bytes.empty()) return "empty packet";
    const int version = std::to_integer<int>(bytes[0]) >> 4;
    if (version == 4) {
        const auto ipv4 = packet::Ipv4View::parse_truncated(bytes);
        if (!ipv4) return "malformed IPv4" + length;
        std::string text =
            ipv4->source().to_string() + " > " + ipv4->destination().to_string() + " " +
            describe_upper_layer(ipv4->protocol(), ipv4->payload(), ipv4->has_upper_layer_header());
        if (ipv4->is_fragment())
            text += fragment_text(std::uint32_t{ipv4->fragment_offset()}, ipv4->more_fragments());
        return text + ", ttl " + std::to_string(ipv4->ttl()) + length;
    }
    if (version == 6) {
        const auto ipv6 = packet::Ipv6View::parse_truncated(bytes);
        if (!ipv6) return "malformed IPv6" + length;
        const bool has_header = !ipv6->is_fragment() || ipv6->fragment_offset() == 0;
        std::string text = ipv6->source().to_string() + " > " + ipv6->destination().to_string() +
                           " " +
                           describe_upper_layer(ipv6->upper_layer_protocol(),
                                                ipv6->upper_layer_payload(), has_header);
        if (ipv6->is_fragment())
            text += fragment_text(ipv6->fragment_offset(), ipv6->more_fragments());
        return text + ", hlim " + std::to_string(ipv6->hop_limit()) + length;
    }
    return "not IPv4 or IPv6 (version " + std::to_string(version) + ")" + length;
}

std::string render_translate_table(const TranslateSummary& summary) {
    std::string text;
    if (!summary.complete)
        text += "stopped early: the counts cover the records read before the error\n";
    text += "input   " + summary.input + " (" + summary.input_link + ")\n";
    text += "output  " + summary.output + " (RAW, pcap)\n\n";

    std::vector<Row> rows;
    rows.push_back({"records read", summary.records_read, {}});
    rows.push_back({"records written", summary.records_written, {}});
    rows.push_back({"translated", summary.translated(), {}});
    rows.push_back({"  IPv4 to IPv6", summary.ipv4_to_ipv6, {}});
    rows.push_back({"  IPv6 to IPv4", summary.ipv6_to_ipv4, {}});
    rows.push_back({"  fragmented", summary.fragmented,
                    summary.fragmented
                        ? "into " + std::to_string(summary.fragments_written) + " fragments"
                        : std::string()});
    rows.push_back({"ICMP errors sent back to the source", summary.icmp_errors_total(), {}});
    for (std::size_t i = 0; i < summary.icmp_errors.size(); ++i)
        if (summary.icmp_errors[i] != 0)
            rows.push_back({"  " + std::string(xlat::to_string(static_cast<xlat::DropReason>(i))),
                            summary.icmp_errors[i],
                            {}});
    rows.push_back({"dropped", summary.dropped_total(), {}});
    for (std::size_t i = 0; i < summary.dropped.size(); ++i)
        if (summary.dropped[i] != 0)
            rows.push_back({"  " + std::string(xlat::to_string(static_cast<xlat::DropReason>(i))),
                            summary.dropped[i],
                            {}});
    for (const NotIpReason reason : kNotIpReasons) {
        const std::uint64_t count = summary.not_ip[static_cast<std::size_t>(reason)];
        if (count != 0)
            rows.push_back({"  " + std::string(capture::to_string(reason)), count, "(not IP)"});
    }
    if (summary.truncated_by_snaplen != 0)
        rows.push_back({"  " + std::string(kTruncatedBySnaplen), summary.truncated_by_snaplen,
                        "(cut short by the capture's snap length)"});
    return text + render_rows(rows);
}

std::string render_translate_json(const TranslateSummary& summary) {
    nlohmann::ordered_json json;
    json["input"] = {{"path", summary.input}, {"link_type", summary.input_link}};
    json["output"] = {{"path", summary.output}, {"link_type", "RAW"}};
    json["complete"] = summary.complete;
    json["records_read"] = summary.records_read;
    json["records_written"] = summary.records_written;
    json["translated"] = {{"total", summary.translated()},
                          {"ipv4_to_ipv6", summary.ipv4_to_ipv6},
                          {"ipv6_to_ipv4", summary.ipv6_to_ipv4},
                          {"fragmented", summary.fragmented},
                          {"fragments_written", summary.fragments_written}};
    nlohmann::ordered_json icmp = nlohmann::ordered_json::object();
    nlohmann::ordered_json dropped = nlohmann::ordered_json::object();
    for (std::size_t i = 0; i < xlat::kDropReasonCount; ++i) {
        const std::string name(xlat::to_string(static_cast<xlat::DropReason>(i)));
        icmp[name] = summary.icmp_errors[i];
        dropped[name] = summary.dropped[i];
    }
    for (const NotIpReason reason : kNotIpReasons)
        dropped[std::string(capture::to_string(reason))] =
            summary.not_ip[static_cast<std::size_t>(reason)];
    dropped[std::string(kTruncatedBySnaplen)] = summary.truncated_by_snaplen;
    json["icmp_errors"] = {{"total", summary.icmp_errors_total()}, {"by_reason", icmp}};
    json["dropped"] = {{"total", summary.dropped_total()}, {"by_reason", dropped}};
    return json.dump(2) + "\n";
}

}  // namespace sixgate::app
