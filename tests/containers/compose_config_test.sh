#!/bin/sh
# Validates the committed Compose files offline with docker-compose (no engine needed).
# Usage: compose_config_test.sh REPO_ROOT. Exit 77 (skip) only when docker-compose is missing.
set -u
repo=${1:?usage: compose_config_test.sh REPO_ROOT}
if ! command -v docker-compose >/dev/null 2>&1; then
  echo "SKIP: docker-compose is not installed (scripts/setup.sh installs it)"
  exit 77
fi
status=0
for file in "$repo"/containers/*.compose.yml; do
  if docker-compose -f "$file" config -q; then
    echo "ok: docker-compose config -q $file"
  else
    echo "FAIL: docker-compose rejects $file"
    status=1
  fi
done
exit $status
