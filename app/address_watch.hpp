#pragma once
// Tells when the IPv4 addresses of any interface change (rtnetlink RTMGRP_IPV4_IFADDR), so the
// prefix plan can follow `public_ipv4: {from_interface: NAME}`. Bursts are folded into one call.

#include <chrono>
#include <functional>
#include <memory>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "net/result.hpp"
#include "net/unique_fd.hpp"

namespace sixgate::app {

class AddressWatch {
public:
    static Result<std::unique_ptr<AddressWatch>> start(boost::asio::io_context& io, std::function<void()> changed);
    ~AddressWatch();

private:
    AddressWatch(boost::asio::io_context& io, net::UniqueFd fd, std::function<void()> changed);
    void wait();

    net::UniqueFd fd_;
    boost::asio::posix::stream_descriptor descriptor_;
    boost::asio::steady_timer settle_timer_;
    std::function<void()> changed_;
    std::vector<char> buffer_;
};

}  // namespace sixgate::app
