#!/bin/bash
# ctest FIXTURES_CLEANUP step: removes namespaces left by a SIGKILLed test ("sg-TAG-PID-N" with a
# dead PID). Namespaces of tests still running are left alone. Usage: reap_stale_netns.sh [PREFIX]
. "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || exit 0
sg_netns_reap_stale "${1:-sg-}"
exit 0
