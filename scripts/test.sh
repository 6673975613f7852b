#!/usr/bin/env bash
# The whole test suite: unit tests, and the integration tests against the real server, real
# WebSocket clients and a private redis-server per test (installed here when missing).
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
