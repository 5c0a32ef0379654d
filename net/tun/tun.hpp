#pragma once
// TUN devices for the CLAT and PLAT data paths: Linux TUN/TAP (Documentation/networking/
// tuntap.rst) with the virtio_net_hdr of virtio 1.2 5.1.6 for receive offloads (GSO, partial
// checksums); no RFC of its own.
// Entry points: TunDevice::open, TunQueue::read_batch/write, split_gso, FakeTun (tests).

#include "net/tun/fake_tun.hpp"
#include "net/tun/gso_split.hpp"
#include "net/tun/packet_io.hpp"
#include "net/tun/tun_device.hpp"
#include "net/tun/tun_queue.hpp"
#include "net/tun/virtio_net_header.hpp"
