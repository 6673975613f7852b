#!/usr/bin/env bash
# The gateway next to the bare reference server, every figure of docs/BENCHMARKS.md's
# "Gateway and the bare server" section in one command:
#
#   ./scripts/bench.sh                 # all scenarios, 5 rounds each (about 15 minutes)
#   ROUNDS=3 DURATION=5 ./scripts/bench.sh closed rate   # some scenarios, shorter
#
# Scenarios: closed (100 connections, closed loop), rate (1,000 connections at 5,000 msg/s),
# cores (closed loop with the servers on 1 CPU, then 2), idle (15,000 idle connections).
# Texts: the sentences of ../shared/data/langid-dev.tsv (13 locales; or
# $SWITCHBOARD_SHARED_DATA/langid-dev.tsv), else the demo content's own examples.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-10}
SCENARIOS=("$@")
[ ${#SCENARIOS[@]} -eq 0 ] && SCENARIOS=(closed rate cores idle)

# Idle connections need an open file each, in the client and in the server.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

cargo build --release --workspace --bins
BENCH=./target/release/switchboard-bench
DATA=${SWITCHBOARD_SHARED_DATA:-../shared/data}
TEXTS=()
if [ -f "$DATA/langid-dev.tsv" ]; then
  TEXTS=(--texts "$DATA/langid-dev.tsv" --only sentences)
else
  echo "(no $DATA/langid-dev.tsv: sending the demo content's examples)"
fi
# The gateway's per-connection frame rate and per-address connection limits would refuse the
# load (every client is on 127.0.0.1): raised for the runs, the bare server has none.
LIMITS=(
  --gateway-env SWITCHBOARD_RATE_LIMIT_PER_S=1000000
  --gateway-env SWITCHBOARD_RATE_LIMIT_BURST=1000000
  --gateway-env SWITCHBOARD_MAX_CONNECTIONS=100000
  --gateway-env SWITCHBOARD_MAX_NEW_CONNECTIONS_PER_IP_PER_MINUTE=1000000
)
# GATEWAY_BIN=path runs an older gateway build against the bare server of this one.
[ -n "${GATEWAY_BIN:-}" ] && LIMITS+=(--gateway-bin "$GATEWAY_BIN")
COMMON=(--rounds "$ROUNDS" --duration "$DURATION" "${TEXTS[@]}" "${LIMITS[@]}")

echo "== $(date -u +%FT%TZ), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for scenario in "${SCENARIOS[@]}"; do
  case "$scenario" in
    closed)
      echo "== closed loop, 100 connections (servers and client share every CPU)"
      $BENCH compare --connections 100 "${COMMON[@]}"
      ;;
    rate)
      echo "== 1,000 connections at 5,000 msg/s in all"
      $BENCH compare --connections 1000 --rate 5000 "${COMMON[@]}"
      ;;
    cores)
      echo "== closed loop, 100 connections, servers on CPU 0 and the client on CPU 1"
      taskset -c 1 $BENCH compare --server-cpus 0 --connections 100 "${COMMON[@]}"
      echo "== the same, servers on CPUs 0-1 (the client too)"
      $BENCH compare --server-cpus 0,1 --connections 100 "${COMMON[@]}"
      ;;
    idle)
      echo "== 15,000 idle connections, each server started fresh"
      $BENCH compare --scenario idle --rounds 1 --idle-connections 15000 "${LIMITS[@]}"
      ;;
    *)
      echo "unknown scenario $scenario (closed, rate, cores, idle)" >&2
      exit 2
      ;;
  esac
done
echo "== done, load average $(cut -d' ' -f1-3 /proc/loadavg)"
