#include "isatap/tunnel_link.hpp"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <utility>
#include <variant>

#include "isatap/tunnel_packet.hpp"
#include "net/netlink/sysctl.hpp"
#include "net/packet/packet_buffer.hpp"

namespace sixgate::isatap {

using net::packet::PacketBuffer;

namespace {

// How many packets one source is read before the other gets its turn (and before the thread
// polls again): bounded so a flood on one side cannot starve the other.
constexpr std::size_t kBatch = 64;

inline void bump(std::atomic<std::uint64_t>& counter) noexcept {
    counter.fetch_add(1, std::memory_order_relaxed);
}

// What handlers and the control plane send through: the raw socket and the TUN descriptor,
// both thread-safe at the syscall level (one datagram per call), so the data-path thread and
// the control thread share it.
class LinkIo final : public TunnelIo {
public:
    LinkIo(net::Ipv4RawSocket& socket, int tun_fd, TunnelLinkCounters& counters) noexcept
        : socket_(socket), tun_fd_(tun_fd), counters_(counters) {}

    bool send_ipv4(net::Ipv4Address destination,
                   std::span<const std::byte> ipv6_packet) noexcept override {
        if (socket_.send(destination, ipv6_packet) != 0) {
            bump(counters_.send_errors);
            return false;
        }
        bump(counters_.ipv4_sent);
        return true;
    }

    bool write_tun(std::span<const std::byte> ipv6_packet) noexcept override {
        // No virtio_net_hdr on this TUN: the packet is written as it is.
        const ssize_t written = ::write(tun_fd_, ipv6_packet.data(), ipv6_packet.size());
        if (written < 0 || std::size_t(written) != ipv6_packet.size()) {
            bump(counters_.tun_write_errors);
            return false;
        }
        bump(counters_.tun_written);
        return true;
    }

private:
    net::Ipv4RawSocket& socket_;
    int tun_fd_;
    TunnelLinkCounters& counters_;
};

}  // namespace

struct TunnelLink::Impl {
    Impl(net::Ipv4RawSocket raw_socket, net::tun::TunDevice tun_device,
         TunnelLinkCounters& link_counters)
        : socket(std::move(raw_socket)),
          tun(std::move(tun_device)),
          counters(link_counters),
          io(socket, tun.queue(0).fd(), link_counters),
          from_socket(std::make_unique<PacketBuffer>()),
          from_tun(std::make_unique<PacketBuffer>()) {}

    void run() noexcept;
    // Each returns whether its batch filled up (more may be waiting); errors go to `failed`.
    bool drain_socket(bool& failed) noexcept;
    bool drain_tun(bool& failed) noexcept;

    net::Ipv4RawSocket socket;
    net::tun::TunDevice tun;
    TunnelLinkCounters& counters;
    LinkIo io;
    net::tun::QueueThreads threads;
    TunnelHandler* handler = nullptr;
    bool started = false;
    // The data-path thread's buffers, allocated once: one per source.
    std::unique_ptr<PacketBuffer> from_socket;
    std::unique_ptr<PacketBuffer> from_tun;
};

bool TunnelLink::Impl::drain_socket(bool& failed) noexcept {
    for (std::size_t i = 0; i < kBatch; ++i) {
        const std::span<std::byte> space = from_socket->reset();
        auto received = socket.receive(space);
        if (!received) {
            bump(counters.receive_errors);
            failed = true;
            return false;
        }
        if (!received->has_value()) return false;
        bump(counters.ipv4_received);
        handler->from_ipv4(space.first(**received), io);
    }
    return true;
}

bool TunnelLink::Impl::drain_tun(bool& failed) noexcept {
    net::tun::TunQueue& queue = tun.queue(0);
    PacketBuffer* const batch[1] = {from_tun.get()};
    for (std::size_t i = 0; i < kBatch; ++i) {
        const net::tun::ReadResult read = queue.read_batch(batch);
        if (read.error != 0) {
            bump(counters.receive_errors);
            failed = true;
            return false;
        }
        if (read.packets == 0) return false;
        bump(counters.tun_read);
        handler->from_tun(from_tun->data(), io);
    }
    return true;
}

void TunnelLink::Impl::run() noexcept {
    pollfd fds[3] = {
        {socket.fd(), POLLIN, 0}, {tun.queue(0).fd(), POLLIN, 0}, {threads.stop_fd(), POLLIN, 0}};
    while (!threads.stopping()) {
        bool failed = false;
        bool busy = drain_socket(failed);
        busy = drain_tun(failed) || busy;
        if (threads.stopping()) break;
        if (failed && !busy) {
            // A failing descriptor polls readable at once: wait on the stop event alone for a
            // while instead of spinning.
            pollfd stop_only{threads.stop_fd(), POLLIN, 0};
            if (::poll(&stop_only, 1, 100) > 0) break;
            continue;
        }
        for (pollfd& fd : fds) fd.revents = 0;
        if (::poll(fds, 3, busy ? 0 : -1) < 0 && errno != EINTR) {
            pollfd stop_only{threads.stop_fd(), POLLIN, 0};
            (void)::poll(&stop_only, 1, 100);
        }
        if (fds[2].revents != 0) break;
    }
}

Result<net::Ipv4Address> interface_ipv4(net::netlink::KernelApi& kernel, const std::string& interface) {
    if (auto info = kernel.interface_info(interface); !info)
        return with_context(info.error(), "isatap.interface " + interface);
    net::netlink::AddressQuery query;
    query.device = interface;
    query.family = net::netlink::IpFamily::kIpv4;
    auto addresses = kernel.list_addresses(query);
    if (!addresses) return with_context(addresses.error(), "isatap.interface " + interface + ": addresses");
    for (const auto& address : *addresses)
        if (const auto* v4 = std::get_if<net::Ipv4Address>(&address.address)) return *v4;
    return make_error(std::errc::address_not_available,
                      "isatap.interface " + interface +
                          " has no IPv4 address: ISATAP runs over IPv4 (RFC 5214 6.1), give the interface one");
}

Result<std::unique_ptr<TunnelLink>> TunnelLink::open(const std::string& interface,
                                                     net::Ipv4Address local,
                                                     const std::string& tun_name) {
    auto socket = net::Ipv4RawSocket::open(kProtocolIpv6InIpv4, interface, local);
    if (!socket) return socket.error();
    net::tun::TunOptions options;
    options.queues = 1;
    options.vnet_hdr = net::tun::VnetHdrMode::kOff;
    auto tun = net::tun::TunDevice::open(tun_name, options);
    if (!tun) return Error{tun.error().code, "isatap tun " + tun_name + ": " + tun.error().message};
    if (auto done = tun->set_mtu(kIsatapMtu); !done)
        return Error{done.error().code,
                     "isatap tun " + tun->name() + " mtu: " + done.error().message};
    // No kernel-made link-local address (IN6_ADDR_GEN_MODE_NONE): the component adds the ISATAP
    // one (RFC 5214 6.2), and a random second one would only send MLD reports into the tunnel.
    if (auto done = net::netlink::write_sysctl(net::netlink::ipv6_conf_path(tun->name(), "addr_gen_mode"), "1");
        !done)
        return Error{done.error().code,
                     "isatap tun " + tun->name() + " addr_gen_mode: " + done.error().message};
    if (auto done = tun->set_up(); !done)
        return Error{done.error().code,
                     "isatap tun " + tun->name() + " up: " + done.error().message};

    std::unique_ptr<TunnelLink> link(new TunnelLink());
    link->impl_ = std::make_unique<Impl>(std::move(*socket), std::move(*tun), link->counters_);
    if (auto opened = link->impl_->threads.open("isatap"); !opened) return opened.error();
    return link;
}

TunnelLink::~TunnelLink() {
    stop();
}

Result<void> TunnelLink::start(TunnelHandler& handler) {
    if (impl_->started)
        return make_error(std::errc::operation_in_progress, "isatap data path already started");
    impl_->handler = &handler;
    Impl* impl = impl_.get();
    if (auto started = impl->threads.start("isatap", 1, [impl](std::size_t) { impl->run(); });
        !started)
        return started.error();
    impl_->started = true;
    return {};
}

void TunnelLink::stop() {
    if (impl_) impl_->threads.stop();
}

const std::string& TunnelLink::tun_name() const noexcept {
    return impl_->tun.name();
}

net::Ipv4Address TunnelLink::local() const noexcept {
    return impl_->socket.local();
}

TunnelIo& TunnelLink::control_io() noexcept {
    return impl_->io;
}

}  // namespace sixgate::isatap
