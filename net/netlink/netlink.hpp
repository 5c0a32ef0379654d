#pragma once
// Kernel state over rtnetlink (RFC 3549) with RAII undo; routes and addresses tagged with protocol
// 115. Entry points: KernelState (the owner), KernelApi/NetlinkKernel/FakeKernel, RouteSocket,
// interface_info.

#include "net/netlink/fake_kernel.hpp"
#include "net/netlink/interfaces.hpp"
#include "net/netlink/ip_family.hpp"
#include "net/netlink/kernel_addresses.hpp"
#include "net/netlink/kernel_api.hpp"
#include "net/netlink/kernel_routes.hpp"
#include "net/netlink/kernel_state.hpp"
#include "net/netlink/route_socket.hpp"
#include "net/netlink/sysctl.hpp"
