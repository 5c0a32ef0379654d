#include "app/address_watch.hpp"

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

namespace sixgate::app {

namespace {
constexpr std::chrono::milliseconds kSettleTime{500};
}

Result<std::unique_ptr<AddressWatch>> AddressWatch::start(boost::asio::io_context& io, std::function<void()> changed) {
    net::UniqueFd fd(::socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_ROUTE));
    if (!fd) return Error{std::error_code(errno, std::generic_category()), std::string("netlink socket: ") + std::strerror(errno)};
    sockaddr_nl address{};
    address.nl_family = AF_NETLINK;
    address.nl_groups = RTMGRP_IPV4_IFADDR;
    if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0)
        return Error{std::error_code(errno, std::generic_category()), std::string("netlink bind: ") + std::strerror(errno)};
    std::unique_ptr<AddressWatch> watch(new AddressWatch(io, std::move(fd), std::move(changed)));
    watch->wait();
    return watch;
}

AddressWatch::AddressWatch(boost::asio::io_context& io, net::UniqueFd fd, std::function<void()> changed)
    : fd_(std::move(fd)), descriptor_(io, fd_.get()), settle_timer_(io), changed_(std::move(changed)), buffer_(16384) {}

AddressWatch::~AddressWatch() {
    boost::system::error_code ignored;
    descriptor_.cancel(ignored);
    descriptor_.release();  // fd_ closes it
}

void AddressWatch::wait() {
    descriptor_.async_wait(boost::asio::posix::stream_descriptor::wait_read, [this](boost::system::error_code error) {
        if (error) return;
        // The content does not matter (an overrun, ENOBUFS, is a change too): drain, then settle.
        while (::recv(fd_.get(), buffer_.data(), buffer_.size(), MSG_DONTWAIT) > 0 || errno == ENOBUFS) {
        }
        settle_timer_.expires_after(kSettleTime);
        settle_timer_.async_wait([this](boost::system::error_code timer_error) {
            if (!timer_error) changed_();
        });
        wait();
    });
}

}  // namespace sixgate::app
