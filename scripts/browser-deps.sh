#!/usr/bin/env bash
# What the browser tests need: Debian's Chromium (never a browser downloaded by a test tool),
# fonts for the 13 locales' scripts (the screenshots), Node.js >= 20 and playwright-core from
# tests/browser/package-lock.json. Installs what is missing when it can (root with apt-get);
# otherwise says how, and fails.
set -euo pipefail
cd "$(dirname "$0")/.."

can_apt() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; }
apt_updated=
apt_install() {
  if [ -z "$apt_updated" ]; then apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM" ]; then
  if can_apt && [ -z "${CHROMIUM_PATH:-}" ]; then
    echo "== installing chromium (the browser tests drive Debian's Chromium)"
    apt_install chromium
  else
    echo "Chromium is missing at $CHROMIUM: install it (Debian/Ubuntu: sudo apt-get install chromium) or set CHROMIUM_PATH" >&2
    exit 1
  fi
fi

# Japanese, Chinese, Devanagari and Arabic glyphs and emoji, so screenshots show text, not boxes.
if command -v fc-list >/dev/null 2>&1 && ! fc-list :lang=ja | grep -q .; then
  if can_apt; then
    echo "== installing fonts for the screenshots (CJK, Devanagari, Arabic, emoji)"
    apt_install fonts-ipafont-gothic fonts-wqy-zenhei fonts-noto-core fonts-noto-color-emoji
  else
    echo "warning: no Japanese font: the screenshots will show boxes (sudo apt-get install fonts-ipafont-gothic fonts-wqy-zenhei fonts-noto-core fonts-noto-color-emoji)" >&2
  fi
fi

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  if can_apt; then
    echo "== installing nodejs and npm"
    apt_install nodejs npm
  else
    echo "Node.js and npm are missing: install Node.js 20 or newer (https://nodejs.org)" >&2
    exit 1
  fi
fi
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 20 ]; then
  echo "Node.js $(node --version) is too old for playwright-core: install Node.js 20 or newer (https://nodejs.org)" >&2
  exit 1
fi

# Every package of the lock (playwright-core, axe-core) at its locked version, else `npm ci`.
stale="$(node -e '
  const lock = require("./tests/browser/package-lock.json").packages;
  const out = [];
  for (const [path, p] of Object.entries(lock)) {
    if (!path.startsWith("node_modules/")) continue;
    let have = "";
    try { have = require("./tests/browser/" + path + "/package.json").version; } catch {}
    if (have !== p.version) out.push(path.slice(13) + " " + p.version);
  }
  console.log(out.join(", "));
')"
if [ -n "$stale" ]; then
  echo "== npm ci ($stale)"
  (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error) || {
    echo "npm ci failed in tests/browser: $stale needed from the npm registry" >&2
    exit 1
  }
fi
