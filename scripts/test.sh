#!/usr/bin/env bash
# The whole test suite: unit tests, the integration tests against the real server, real
# WebSocket clients and a private redis-server per test (installed here when missing), then the
# widget and the agent console in a real headless Chromium (tests/browser, see
# scripts/browser-deps.sh for what it installs).
set -euo pipefail
cd "$(dirname "$0")/.."

. scripts/lib/require.sh
require redis-server redis-server "the tests start their own" \
  "Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis"
require caddy caddy "the proxy test runs deploy/Caddyfile" \
  "Debian/Ubuntu: sudo apt-get install caddy; macOS: brew install caddy"

# The release binary, built as deploy/Dockerfile builds it: the deploy tests run it with the
# environment the manifests set.
cargo build --release --locked

cargo test --workspace "$@"

echo "== browser tests (Chromium + playwright-core against target/debug/switchboard)"
./scripts/browser-deps.sh
cargo build --bin switchboard
(cd tests/browser && SWITCHBOARD_BIN="$PWD/../../target/debug/switchboard" npm test)
