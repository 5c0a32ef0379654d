#include "lab/topology.hpp"

#include <algorithm>

namespace sixgate::lab {

std::string to_string(const IpAddress& address) {
    return std::visit([](const auto& value) { return value.to_string(); }, address);
}

std::string to_string(const IpPrefix& prefix) {
    return std::visit([](const auto& value) { return value.to_string(); }, prefix);
}

IpPrefix InterfaceAddress::network() const {
    if (const auto* v4 = std::get_if<net::Ipv4Address>(&address)) return net::Ipv4Prefix(*v4, length);
    return net::Ipv6Prefix(std::get<net::Ipv6Address>(address), length);
}

std::string InterfaceAddress::to_string() const { return lab::to_string(address) + "/" + std::to_string(length); }

std::string_view to_string(CheckProtocol protocol) {
    switch (protocol) {
    case CheckProtocol::ping: return "ping";
    case CheckProtocol::tcp: return "tcp";
    case CheckProtocol::udp: return "udp";
    case CheckProtocol::dns: return "dns";
    }
    return "?";
}

std::string_view to_string(Expectation expectation) {
    return expectation == Expectation::success ? "success" : "failure";
}

std::string_view to_string(AddressFamily family) { return family == AddressFamily::ipv4 ? "ipv4" : "ipv6"; }

std::string Check::describe() const {
    if (reload) {
        std::string text = "reload " + reload->host + ": isatap.allow +";
        for (std::size_t i = 0; i < reload->isatap_allow_add.size(); ++i)
            text += (i ? "," : "") + reload->isatap_allow_add[i].to_string();
        for (const std::string& host : reload->sighup) text += ", sighup " + host;
        return text;
    }
    std::string text = from + " -> " + to + " " + std::string(to_string(protocol));
    if (port) text += "/" + std::to_string(*port);
    if (address) text += " " + to_string(*address);
    else if (family) text += " " + std::string(to_string(*family));
    if (protocol == CheckProtocol::dns) {
        text += " " + query;
        if (server) text += " @" + to_string(*server);
        if (within) text += " in " + within->to_string();
    }
    text += ": " + std::string(to_string(expect));
    if (counter_rises) text += ", " + counter_rises->host + " " + counter_rises->counter + " rises";
    return text;
}

const HostInterface* Host::find_interface(std::string_view wanted) const {
    for (const HostInterface& interface : interfaces)
        if (interface.name == wanted) return &interface;
    return nullptr;
}

bool Host::has_ipv6() const {
    return std::any_of(interfaces.begin(), interfaces.end(), [](const HostInterface& interface) {
        return interface.slaac || std::any_of(interface.addresses.begin(), interface.addresses.end(),
                                              [](const InterfaceAddress& a) { return !a.is_ipv4(); });
    });
}

const Host* Topology::find_host(std::string_view wanted) const {
    for (const Host& host : hosts)
        if (host.name == wanted) return &host;
    return nullptr;
}

std::vector<IpPrefix> Topology::segment_prefixes(const Segment& segment) const {
    std::vector<IpPrefix> prefixes;
    for (const SegmentMember& member : segment.members) {
        const Host* host = find_host(member.host);
        const HostInterface* interface = host ? host->find_interface(member.interface) : nullptr;
        if (!interface) continue;
        for (const InterfaceAddress& address : interface->addresses) {
            IpPrefix network = address.network();
            if (std::find(prefixes.begin(), prefixes.end(), network) == prefixes.end()) prefixes.push_back(network);
        }
    }
    return prefixes;
}

std::vector<std::string> Topology::segment_sixgate_prefixes(const Segment& segment) const {
    std::vector<std::string> texts;
    for (const SegmentMember& member : segment.members) {
        const Host* host = find_host(member.host);
        if (!host || !host->sixgate) continue;
        for (const auto& [interface, text] : host->sixgate->link_prefixes)
            if (interface == member.interface && std::find(texts.begin(), texts.end(), text) == texts.end())
                texts.push_back(text);
    }
    return texts;
}

}  // namespace sixgate::lab
