#!/usr/bin/env bash
# The whole test suite: unit tests, the integration tests against the real server, real
# WebSocket clients and a private redis-server per test (installed here when missing), then the
# widget and the agent console in a real headless Chromium (tests/browser, see
# scripts/browser-deps.sh for what it installs).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v redis-server >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "== installing redis-server (the tests start their own)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  else
    echo "redis-server is missing: install it (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis)" >&2
    exit 1
  fi
fi

if ! command -v caddy >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "== installing caddy (the proxy test runs deploy/Caddyfile)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq caddy >/dev/null
  else
    echo "caddy is missing: install it (Debian/Ubuntu: sudo apt-get install caddy)" >&2
    exit 1
  fi
fi

# The release binary, built as deploy/Dockerfile builds it: the deploy tests run it with the
# environment the manifests set.
cargo build --release --locked

cargo test "$@"

echo "== browser tests (Chromium + playwright-core against target/debug/switchboard)"
./scripts/browser-deps.sh
cargo build --bin switchboard
(cd tests/browser && SWITCHBOARD_BIN="$PWD/../../target/debug/switchboard" npm test)
