#!/usr/bin/env bash
# Configures and builds sixgate. Usage: scripts/build.sh [release|binary|sanitize]
#   release   g++, RelWithDebInfo, every test        -> build/
#   binary    g++, RelWithDebInfo, the sixgate binary only, no tests (the container image) -> build/
#   sanitize  clang++ with ASan+UBSan, libFuzzer     -> build-sanitize/
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:-release}
jobs=$(nproc)
case "$kind" in
  release)
    cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    ninja -C build -j "$jobs"
    ;;
  binary)
    cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=OFF >/dev/null
    ninja -C build -j "$jobs" sixgate
    ;;
  sanitize)
    cmake -S . -B build-sanitize -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_COMPILER=clang++ \
      -DSIXGATE_SANITIZE=ON -DSIXGATE_FUZZ=ON >/dev/null
    ninja -C build-sanitize -j "$jobs"
    ;;
  *)
    echo "usage: $0 [release|binary|sanitize]" >&2
    exit 2
    ;;
esac
