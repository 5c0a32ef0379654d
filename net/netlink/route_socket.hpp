#pragma once
// RouteSocket: a libnl socket connected to NETLINK_ROUTE (RFC 3549 describes the protocol).
// Requests and dumps return Result with the kernel's errno and context; nothing here throws or
// prints.

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "net/result.hpp"

struct nl_sock;
struct nl_msg;
struct nlmsghdr;

namespace sixgate::net::netlink {

struct NlMsgDeleter {
    void operator()(nl_msg* message) const noexcept;
};
// A request built with libnl (nlmsg_alloc_simple, nlmsg_append, nla_put).
using NetlinkMessage = std::unique_ptr<nl_msg, NlMsgDeleter>;

// Allocates a message of the given type and flags with a fixed header (rtmsg, ifaddrmsg, ...).
Result<NetlinkMessage> make_message(int type, int flags, const void* header,
                                    std::size_t header_size);

// A kernel errno as an Error: "CONTEXT: File exists" plus the kernel's extended ack text if any.
Error kernel_error(int errno_value, std::string_view context, std::string_view extended_ack = {});
// A libnl error code (NLE_*, either sign) as an Error with the nearest errno.
Error libnl_error(int nl_error, std::string_view context);

class RouteSocket {
  public:
    // Called for each reply message; the header is followed by the payload (nlmsg_data).
    using ReplyHandler = std::function<void(nlmsghdr& reply)>;

    static Result<RouteSocket> open();

    RouteSocket(RouteSocket&& other) noexcept;
    RouteSocket& operator=(RouteSocket&& other) noexcept;
    RouteSocket(const RouteSocket&) = delete;
    RouteSocket& operator=(const RouteSocket&) = delete;
    ~RouteSocket();

    // Sends a request with NLM_F_ACK and waits for the ack; replies before it go to on_reply.
    Result<void> request(NetlinkMessage message, std::string_view context,
                         const ReplyHandler& on_reply = {});

    // Sends an NLM_F_DUMP request of the given type and calls on_reply for each message until
    // NLMSG_DONE. If the kernel marks the dump interrupted (tables changed meanwhile) it is
    // repeated, calling on_restart first so the caller can drop what it collected.
    Result<void> dump(int type, const void* header, std::size_t header_size,
                      const ReplyHandler& on_reply, const std::function<void()>& on_restart,
                      std::string_view context);

    nl_sock* native() const noexcept { return socket_; }

  private:
    explicit RouteSocket(nl_sock* socket) noexcept : socket_(socket) {}
    Result<void> exchange(nl_msg* message, std::string_view context, const ReplyHandler& on_reply,
                          bool* interrupted);

    nl_sock* socket_ = nullptr;
};

}  // namespace sixgate::net::netlink
