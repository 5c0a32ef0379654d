#!/usr/bin/env bash
# The main job: installs what is missing, builds sixgate, and runs the built-in demo:
# the DirectAccess prefix plan for the seed address 131.107.0.2, a validated example config, and
# 464XLAT end to end in namespaces (sixgate CLAT -> TAYGA PLAT -> IPv4 server), removed afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
bash scripts/build.sh release >/dev/null
sixgate=build/app/sixgate

echo
echo "== sixgate prefixes --public-ipv4 131.107.0.2 --client-ipv4 198.51.100.83"
"$sixgate" prefixes --public-ipv4 131.107.0.2 --client-ipv4 198.51.100.83
echo
echo "== sixgate check -c config/examples/directaccess.yaml"
"$sixgate" check -c config/examples/directaccess.yaml
echo
echo "== 464XLAT: an IPv6-only client's IPv4 applications through the sixgate CLAT"
/usr/bin/python3 scripts/demo_464xlat.py "$sixgate"
echo
echo "demo: ok (the prefix plan is derived, the example config is valid, 464XLAT works end to end)"
