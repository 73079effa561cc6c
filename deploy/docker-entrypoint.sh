#!/bin/sh
# Starts one role of yhdyspinta from the compiled build:
#   gateway | organisations | groups | planning   the long-running processes
#   migrate                                       every service's migrations (and
#                                                 the demo seed if SEED_DEMO_DATA=true), then exit
set -eu
root="$(cd "$(dirname "$0")/.." && pwd)"
role="${1:-}"
case "$role" in
  gateway)
    # The young generation of packages/stack GATEWAY_NODE_FLAGS (the gateway allocates per request).
    exec node --max-semi-space-size=64 "$root/gateway/dist/main.js" ;;
  organisations | groups | planning)
    exec node "$root/services/$role/dist/main.js" ;;
  migrate)
    : "${SEED_DEMO_DATA:=false}"
    export SEED_DEMO_DATA
    for service in organisations groups planning; do
      node "$root/services/$service/dist/main.js" migrate
    done ;;
  *)
    echo "usage: $0 gateway|organisations|groups|planning|migrate" >&2
    exit 64 ;;
esac
