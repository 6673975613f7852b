#!/usr/bin/env bash
# Start-up time and resident memory of a gateway binary (issue 21, docs/BENCHMARKS.md): launch
# to the first 200 from /readyz, and the process's resident memory then.
#
#   ./scripts/startup.sh [BINARY] [CONTENT] [RUNS]   (defaults: target/release/switchboard . 5)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-target/release/switchboard}
CONTENT=${2:-.}
RUNS=${3:-5}
PORT=18467
for run in $(seq "$RUNS"); do
  start=$(date +%s%N)
  SWITCHBOARD_LISTEN=127.0.0.1:$PORT SWITCHBOARD_CONTENT=$CONTENT RUST_LOG=error "$BIN" serve >/dev/null 2>&1 &
  pid=$!
  until curl -fsS "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1; do sleep 0.01; done
  ready=$(( ($(date +%s%N) - start) / 1000000 ))
  rss=$(awk '/^VmRSS/ {print $2}' /proc/$pid/status)
  echo "run $run: ready in ${ready} ms, resident ${rss} kB"
  kill "$pid"; wait "$pid" 2>/dev/null || true
done
