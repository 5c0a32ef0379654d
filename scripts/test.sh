#!/usr/bin/env bash
# Builds and runs every sixgate test: installs what is missing, builds with g++ and runs all
# tests, then builds with clang++ ASan+UBSan and runs the unit and fuzz tests under it.
# Run as root on Debian 12 (namespace tests need root). Exit status 0 only if every test passed.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS

bash scripts/setup.sh
echo "== build (g++, RelWithDebInfo)"
bash scripts/build.sh release
echo "== tests (g++ build)"
ctest --test-dir build --output-on-failure -j "$(nproc)" -LE fuzz

echo "== build (clang++, ASan+UBSan, libFuzzer)"
bash scripts/build.sh sanitize
echo "== unit and fuzz tests (sanitizer build)"
ctest --test-dir build-sanitize --output-on-failure -j "$(nproc)" -L 'unit|fuzz'

echo "== all tests passed in $((SECONDS - start)) s"
