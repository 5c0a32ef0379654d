#!/usr/bin/env bash
# The main job (run as root): installs what is missing, builds sixgate, then runs the built-in
# DirectAccess lab end to end with `sixgate lab run`: the lab comes up in network namespaces
# (sixgate router, limited ISATAP, PLAT with DNS64, a manage-out host, jump hosts, remote clients,
# an IPv6-only client with the sixgate CLAT, an IPv4 server), the checks print their table and a
# verdict, and everything is removed, also on failure or Ctrl-C. Exit status: the checks'.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -ne 0 ]; then
  echo "demo: run it as root (it installs packages and makes network namespaces): sudo bash $0" >&2
  exit 3
fi
bash scripts/setup.sh
bash scripts/build.sh release >/dev/null
sixgate=build/app/sixgate

echo
echo "== sixgate lab run   (the built-in topology: $sixgate lab graph --format svg -o lab.svg draws it)"
status=0
"$sixgate" lab run || status=$?
echo
if [ "$status" -eq 0 ]; then
  echo "demo: ok (manage-out, limited ISATAP and 464XLAT proven end to end; nothing left behind)"
else
  echo "demo: the lab run ended with status $status (see the table above; docs/lab.md explains each check)" >&2
fi
exit "$status"
