#!/usr/bin/env bash
# The whole test suite: unit tests, the integration tests against the real server, doc tests.
# Installs nothing yet that the suite needs beyond Rust (Redis and Chromium come with the
# hand-off and browser issues, and this script will install them when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test "$@"
