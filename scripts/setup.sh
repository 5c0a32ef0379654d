#!/usr/bin/env bash
# Installs the Debian packages sixgate needs to build, test and run its labs: only the missing
# ones, non-interactively. Idempotent; run as root on Debian 12.
set -euo pipefail

build_pkgs=(
  build-essential cmake ninja-build pkg-config clang libclang-rt-14-dev
  libnl-3-dev libnl-route-3-dev libboost-dev libspdlog-dev libcli11-dev libyaml-cpp-dev
  libgtest-dev libgmock-dev libbenchmark-dev libpcap-dev nlohmann-json3-dev
)
peer_pkgs=(
  iproute2 iputils-ping ndisc6 tshark python3 python3-scapy tayga iperf3 unbound graphviz
  dnsmasq-base radvdump radvd socat procps
  curl nftables
)
# The container test (tests/containers): podman builds and runs the image without a Docker
# engine; debootstrap makes its Debian 12 base; docker-compose validates the Compose files.
container_pkgs=(
  podman buildah fuse-overlayfs slirp4netns uidmap debootstrap runc containernetworking-plugins
  golang-github-containernetworking-plugin-dnsname docker-compose
)

wanted=("${build_pkgs[@]}")
[[ "${1:-}" == "--build-only" ]] || wanted+=("${peer_pkgs[@]}" "${container_pkgs[@]}")

missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q '^install ok installed$' || missing+=("$pkg")
done

if ((${#missing[@]} == 0)); then
  echo "setup: all ${#wanted[@]} packages present"
  exit 0
fi
if ((EUID != 0)); then
  echo "setup: missing packages (${missing[*]}); run as root to install them" >&2
  exit 1
fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer for it.
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: done"
