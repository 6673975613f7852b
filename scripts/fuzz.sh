#!/usr/bin/env bash
# Runs the cargo-fuzz targets of fuzz/ for a bounded time each, on the stable toolchain
# (RUSTC_BOOTSTRAP=1 lets stable rustc take the -Z flags cargo-fuzz passes; the address
# sanitizer's runtime ships with stable). Installs cargo-fuzz when it is missing. Fails when
# a target crashes; the crashing input is kept in fuzz/artifacts/<target>/ and can be
# replayed with `RUSTC_BOOTSTRAP=1 cargo fuzz run <target> <file>` in fuzz/.
#
#   ./scripts/fuzz.sh                 # every target, 25 s each (the CI smoke)
#   ./scripts/fuzz.sh 300 pipeline    # one target for 5 minutes
#
# Each target starts from its seeds (fuzz/seeds/<target>, committed) and the corpus it grew
# before (fuzz/corpus/<target>, not committed). See docs/RELIABILITY.md.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"

seconds=${1:-25}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(client_frame content pipeline)
fi

CARGO_FUZZ_VERSION=0.13.2
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "== installing cargo-fuzz $CARGO_FUZZ_VERSION"
  cargo install --quiet --locked cargo-fuzz --version "$CARGO_FUZZ_VERSION"
fi

export RUSTC_BOOTSTRAP=1
# 16 codegen units: the build takes minutes, not tens of minutes, for slightly slower runs.
build_flags=(--codegen-units 16)
echo "== building the fuzz targets"
cargo fuzz build "${build_flags[@]}"

failed=0
passed=0
for target in "${targets[@]}"; do
  mkdir -p "corpus/$target" "artifacts/$target"
  log="artifacts/$target/last-run.log"
  echo "== fuzzing $target for ${seconds} s"
  if cargo fuzz run "${build_flags[@]}" "$target" "corpus/$target" "seeds/$target" -- \
    -max_total_time="$seconds" -print_final_stats=1 -timeout=20 -rss_limit_mb=4096 >"$log" 2>&1; then
    passed=$((passed + 1))
    status=ok
  else
    failed=$((failed + 1))
    status=FAILED
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
  corpus=$(find "corpus/$target" -type f | wc -l)
  echo "   $target: $status, ${runs:-?} executions, ${rate:-?}/s, corpus $corpus inputs"
  if [ "$status" = FAILED ]; then
    grep -E "panicked|ERROR: |SUMMARY|Test unit written" "$log" | head -n 20 || tail -n 30 "$log"
  fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
