#pragma once
// Helpers for the PLAT state tests: addresses from text, tuples, and a table from a small config.

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "plat/session_table.hpp"

namespace sixgate::plat::test {

inline net::Ipv6Address a6(const std::string& text) {
    return net::Ipv6Address::parse(text).value();
}
inline net::Ipv4Address a4(const std::string& text) {
    return net::Ipv4Address::parse(text).value();
}
inline net::Ipv4Prefix p4(const std::string& text) {
    return net::Ipv4Prefix::parse(text).value();
}

inline Tuple6 t6(L4Protocol protocol, const std::string& client, std::uint16_t port,
                 const std::string& server, std::uint16_t server_port) {
    return Tuple6{protocol, {a6(client), port}, {a4(server), server_port}};
}
inline Tuple4 t4(L4Protocol protocol, const std::string& peer, std::uint16_t peer_port,
                 Ipv4Transport local) {
    return Tuple4{protocol, {a4(peer), peer_port}, local};
}

inline SessionTableConfig small_config(const std::string& pool = "192.0.2.0/30") {
    SessionTableConfig config;
    config.pool4.push_back(Pool4Range{p4(pool)});
    return config;
}

inline std::unique_ptr<SessionTable> make_table(SessionTableConfig config) {
    auto table = SessionTable::create(std::move(config));
    if (!table) {
        ADD_FAILURE() << table.error().message;
        return nullptr;
    }
    return std::move(table.value());
}

inline constexpr TcpFlags kSyn{true, false, false};
inline constexpr TcpFlags kAck{false, false, false};
inline constexpr TcpFlags kFin{false, true, false};
inline constexpr TcpFlags kRst{false, false, true};

}  // namespace sixgate::plat::test
