#include "net/netlink/route_socket.hpp"

#include <linux/netlink.h>
#include <netlink/errno.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>
#include <sys/socket.h>

#include <utility>

namespace sixgate::net::netlink {
namespace {

constexpr int kMaxDumpAttempts = 5;

std::errc errc_from_libnl(int nl_error) {
    switch (nl_error < 0 ? -nl_error : nl_error) {
        case NLE_INTR:
            return std::errc::interrupted;
        case NLE_BAD_SOCK:
            return std::errc::bad_file_descriptor;
        case NLE_AGAIN:
            return std::errc::resource_unavailable_try_again;
        case NLE_NOMEM:
            return std::errc::not_enough_memory;
        case NLE_EXIST:
            return std::errc::file_exists;
        case NLE_INVAL:
            return std::errc::invalid_argument;
        case NLE_RANGE:
            return std::errc::result_out_of_range;
        case NLE_MSGSIZE:
            return std::errc::message_size;
        case NLE_OPNOTSUPP:
            return std::errc::operation_not_supported;
        case NLE_AF_NOSUPPORT:
            return std::errc::address_family_not_supported;
        case NLE_OBJ_NOTFOUND:
            return std::errc::no_such_process;  // the kernel's ESRCH for routes
        case NLE_NOADDR:
            return std::errc::address_not_available;
        case NLE_BUSY:
            return std::errc::device_or_resource_busy;
        case NLE_NOACCESS:
            return std::errc::permission_denied;
        case NLE_PERM:
            return std::errc::operation_not_permitted;
        case NLE_NODEV:
            return std::errc::no_such_device;
        case NLE_DUMP_INTR:
            return std::errc::interrupted;
        default:
            return std::errc::io_error;
    }
}

// What one exchange learnt from the kernel.
struct ExchangeState {
    const RouteSocket::ReplyHandler* on_reply = nullptr;
    bool done = false;
    int kernel_errno = 0;
    std::string extended_ack;
};

// The text of NLMSGERR_ATTR_MSG, when the kernel attached one (NETLINK_EXT_ACK).
std::string extended_ack_message(const nlmsgerr& error) {
    const auto* header =
        reinterpret_cast<const nlmsghdr*>(reinterpret_cast<const char*>(&error) - NLMSG_HDRLEN);
    if (!(header->nlmsg_flags & NLM_F_ACK_TLVS)) return {};
    std::size_t offset = sizeof(nlmsgerr);
    if (!(header->nlmsg_flags & NLM_F_CAPPED))
        offset += NLMSG_ALIGN(error.msg.nlmsg_len - sizeof(nlmsghdr));
    const std::size_t payload = header->nlmsg_len - NLMSG_HDRLEN;
    if (offset >= payload) return {};
    auto* attributes = reinterpret_cast<nlattr*>(
        const_cast<char*>(reinterpret_cast<const char*>(&error) + offset));
    nlattr* table[NLMSGERR_ATTR_MAX + 1] = {};
    if (nla_parse(table, NLMSGERR_ATTR_MAX, attributes, int(payload - offset), nullptr) < 0)
        return {};
    if (!table[NLMSGERR_ATTR_MSG]) return {};
    char text[256] = {};
    nla_strlcpy(text, table[NLMSGERR_ATTR_MSG], sizeof(text));
    return text;
}

int on_valid(nl_msg* message, void* arg) {
    auto* state = static_cast<ExchangeState*>(arg);
    if (state->on_reply && *state->on_reply) (*state->on_reply)(*nlmsg_hdr(message));
    return NL_OK;
}

int on_finish_or_ack(nl_msg*, void* arg) {
    static_cast<ExchangeState*>(arg)->done = true;
    return NL_STOP;
}

int on_error(sockaddr_nl*, nlmsgerr* error, void* arg) {
    auto* state = static_cast<ExchangeState*>(arg);
    state->done = true;
    state->kernel_errno = -error->error;
    state->extended_ack = extended_ack_message(*error);
    return NL_STOP;
}

}  // namespace

void NlMsgDeleter::operator()(nl_msg* message) const noexcept {
    nlmsg_free(message);
}

Result<NetlinkMessage> make_message(int type, int flags, const void* header,
                                    std::size_t header_size) {
    NetlinkMessage message(nlmsg_alloc_simple(type, flags));
    if (!message)
        return make_error(std::errc::not_enough_memory, "netlink: cannot allocate a message");
    if (const int err =
            nlmsg_append(message.get(), const_cast<void*>(header), header_size, NLMSG_ALIGNTO);
        err < 0)
        return libnl_error(err, "netlink: cannot build a message");
    return message;
}

Error kernel_error(int errno_value, std::string_view context, std::string_view extended_ack) {
    const std::error_code code(errno_value, std::generic_category());
    std::string message = std::string(context) + ": " + code.message();
    if (!extended_ack.empty()) message += " (kernel: " + std::string(extended_ack) + ")";
    return Error{code, std::move(message)};
}

Error libnl_error(int nl_error, std::string_view context) {
    return make_error(errc_from_libnl(nl_error),
                      std::string(context) + ": " + nl_geterror(nl_error));
}

Result<RouteSocket> RouteSocket::open() {
    nl_sock* socket = nl_socket_alloc();
    if (!socket)
        return make_error(std::errc::not_enough_memory, "netlink: cannot allocate a socket");
    RouteSocket owner(socket);
    // Flags are set per request: dumps want no ack, changes always do.
    nl_socket_disable_auto_ack(socket);
    if (const int err = nl_connect(socket, NETLINK_ROUTE); err < 0)
        return libnl_error(err, "netlink: cannot open a NETLINK_ROUTE socket");
    // Ask for the kernel's explanation with errors, without the echoed request.
    const int on = 1;
    const int fd = nl_socket_get_fd(socket);
    (void)setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &on, sizeof(on));
    (void)setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &on, sizeof(on));
    (void)nl_socket_set_buffer_size(socket, 1 << 20, 0);
    return owner;
}

RouteSocket::RouteSocket(RouteSocket&& other) noexcept
    : socket_(std::exchange(other.socket_, nullptr)) {}

RouteSocket& RouteSocket::operator=(RouteSocket&& other) noexcept {
    if (this != &other) {
        if (socket_) nl_socket_free(socket_);
        socket_ = std::exchange(other.socket_, nullptr);
    }
    return *this;
}

RouteSocket::~RouteSocket() {
    if (socket_) nl_socket_free(socket_);  // closes the descriptor too
}

Result<void> RouteSocket::exchange(nl_msg* message, std::string_view context,
                                   const ReplyHandler& on_reply, bool* interrupted) {
    if (!socket_)
        return make_error(std::errc::bad_file_descriptor,
                          std::string(context) + ": socket is closed");
    if (const int err = nl_send_auto(socket_, message); err < 0) return libnl_error(err, context);

    ExchangeState state;
    state.on_reply = &on_reply;
    nl_cb* callbacks = nl_cb_alloc(NL_CB_DEFAULT);
    if (!callbacks)
        return make_error(std::errc::not_enough_memory, std::string(context) + ": out of memory");
    nl_cb_set(callbacks, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &state);
    nl_cb_set(callbacks, NL_CB_FINISH, NL_CB_CUSTOM, on_finish_or_ack, &state);
    nl_cb_set(callbacks, NL_CB_ACK, NL_CB_CUSTOM, on_finish_or_ack, &state);
    nl_cb_err(callbacks, NL_CB_CUSTOM, on_error, &state);

    Result<void> result;
    while (!state.done) {
        const int err = nl_recvmsgs(socket_, callbacks);
        if (state.kernel_errno != 0) break;
        if (err == -NLE_DUMP_INTR && interrupted) {
            *interrupted = true;  // libnl read up to NLMSG_DONE before reporting it
            break;
        }
        if (err < 0) {
            result = libnl_error(err, context);
            break;
        }
    }
    nl_cb_put(callbacks);
    if (state.kernel_errno != 0)
        return kernel_error(state.kernel_errno, context, state.extended_ack);
    return result;
}

Result<void> RouteSocket::request(NetlinkMessage message, std::string_view context,
                                  const ReplyHandler& on_reply) {
    nlmsg_hdr(message.get())->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
    return exchange(message.get(), context, on_reply, nullptr);
}

Result<void> RouteSocket::dump(int type, const void* header, std::size_t header_size,
                               const ReplyHandler& on_reply,
                               const std::function<void()>& on_restart, std::string_view context) {
    for (int attempt = 1;; ++attempt) {
        auto message = make_message(type, NLM_F_REQUEST | NLM_F_DUMP, header, header_size);
        if (!message) return message.error();
        bool interrupted = false;
        if (auto done = exchange(message->get(), context, on_reply, &interrupted); !done)
            return done;
        if (!interrupted) return {};
        if (attempt == kMaxDumpAttempts)
            return make_error(std::errc::interrupted, std::string(context) +
                                                          ": the kernel interrupted the dump " +
                                                          std::to_string(kMaxDumpAttempts) +
                                                          " times (tables changing fast)");
        if (on_restart) on_restart();
    }
}

}  // namespace sixgate::net::netlink
