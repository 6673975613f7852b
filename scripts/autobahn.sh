#!/usr/bin/env bash
# WebSocket conformance: runs the Autobahn|Testsuite fuzzing client against the gateway's opt-in
# echo route (/v1/echo, SWITCHBOARD_ECHO_ROUTE=true), which sits behind the same WebSocket
# stack, size caps and close-code mapping as /v1/chat. Exits non-zero when any case FAILED (or
# closed uncleanly / with a wrong code). See docs/RELIABILITY.md, "Protocol conformance and
# fuzzing".
#
# Two gateways, two passes:
#   1. the default limits (max_frame_bytes 64 KiB, hard cap 1 MiB): cases 1-7, 10, 12, 13
#   2. max_frame_bytes 4 MiB (hard cap 16 MiB): cases 9.* (messages up to 16 MiB)
#
# Needs Python 2.7 (Autobahn|Testsuite is Python 2 only), found through pyenv, or set PYTHON2.
# The suite and its dependencies install from PyPI into target/autobahn/python (nothing global).
#
#   ./scripts/autobahn.sh                      # everything above
#   AUTOBAHN_CASES='["1.*","2.*"]' ./scripts/autobahn.sh   # pass 1 with other cases (JSON list)
#   AUTOBAHN_SKIP_LARGE=1 ./scripts/autobahn.sh            # pass 1 only
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work="$root/target/autobahn"
mkdir -p "$work"

# Pinned: the versions this was verified with. setuptools 44 is the last for Python 2 and must
# come first, or pip pulls a setuptools that cannot install on Python 2.7.
SETUPTOOLS=setuptools==44.0.0
AUTOBAHNTESTSUITE=autobahntestsuite==25.10.1

find_python2() {
  if [ -n "${PYTHON2:-}" ]; then
    echo "$PYTHON2"
    return
  fi
  if ! command -v pyenv >/dev/null 2>&1 && [ -x "${PYENV_ROOT:-$HOME/.pyenv}/bin/pyenv" ]; then
    PATH="${PYENV_ROOT:-$HOME/.pyenv}/bin:$PATH"
  fi
  if ! command -v pyenv >/dev/null 2>&1; then
    if command -v python2.7 >/dev/null 2>&1; then
      command -v python2.7
      return
    fi
    echo "autobahn: Python 2.7 is needed (Autobahn|Testsuite is Python 2 only): install pyenv" \
      "(https://github.com/pyenv/pyenv) and run 'pyenv install 2.7.18', or set PYTHON2" >&2
    return 1
  fi
  local found
  found=$(ls -d "$(pyenv root)"/versions/2.7.* 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$found" ]; then
    echo "== installing Python 2.7.18 with pyenv (a few minutes; needs a C compiler)" >&2
    pyenv install -s 2.7.18 >&2
    found="$(pyenv root)/versions/2.7.18"
  fi
  echo "$found/bin/python"
}

python2=$(find_python2)
export PYTHONUSERBASE="$work/python"
wstest="$PYTHONUSERBASE/bin/wstest"
if [ ! -x "$wstest" ]; then
  echo "== installing $AUTOBAHNTESTSUITE for $("$python2" --version 2>&1) into $PYTHONUSERBASE"
  pip="$python2 -m pip install --user --quiet --disable-pip-version-check --no-warn-script-location"
  $pip "$SETUPTOOLS" 2>&1 | grep -v DEPRECATION || true
  $pip "$AUTOBAHNTESTSUITE" 2>&1 | grep -v DEPRECATION || true
  if [ ! -x "$wstest" ]; then
    echo "autobahn: installing $AUTOBAHNTESTSUITE failed" >&2
    exit 1
  fi
fi

echo "== building the gateway"
cargo build --quiet --bin switchboard
binary="$root/target/debug/switchboard"

# The gateways this script started. start_gateway must run in this shell, not in a `$( )`
# subshell: a pid recorded there is lost, and the gateways would outlive the script.
pids=()
cleanup() {
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT

# Starts a gateway with the echo route on a free port (extra settings as arguments); sets
# gateway_addr to its address.
gateway_addr=
start_gateway() {
  local log="$work/gateway-$1.log"
  shift
  env "$@" SWITCHBOARD_ECHO_ROUTE=true SWITCHBOARD_LISTEN=127.0.0.1:0 \
    SWITCHBOARD_LOG=info SWITCHBOARD_LOG_FORMAT=json "$binary" serve >"$log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 120); do
    gateway_addr=$(grep -o '"addr":"[^"]*"' "$log" | head -n 1 | cut -d'"' -f4 || true)
    if [ -n "$gateway_addr" ]; then
      return
    fi
    if ! kill -0 "${pids[-1]}" 2>/dev/null; then
      echo "autobahn: the gateway did not start:" >&2
      cat "$log" >&2
      return 1
    fi
    sleep 0.5
  done
  echo "autobahn: the gateway did not start within 60 s ($log)" >&2
  return 1
}

# run_pass NAME ADDRESS CASES_JSON: one fuzzingclient run, its report in $work/report/NAME.
run_pass() {
  local name=$1 addr=$2 cases=$3
  local out="$work/report/$name"
  rm -rf "$out"
  mkdir -p "$out"
  cat >"$work/spec-$name.json" <<EOF
{
  "outdir": "$out",
  "servers": [{"agent": "switchboard-$name", "url": "ws://$addr/v1/echo"}],
  "cases": $cases,
  "exclude-cases": [],
  "exclude-agent-cases": {}
}
EOF
  echo "== autobahn pass '$name': cases $cases against ws://$addr/v1/echo"
  local started=$SECONDS
  (cd "$work" && timeout 1800 "$wstest" -m fuzzingclient -s "spec-$name.json" >"$work/wstest-$name.log" 2>&1) || {
    echo "autobahn: wstest failed or timed out; see $work/wstest-$name.log" >&2
    tail -n 20 "$work/wstest-$name.log" >&2
    return 1
  }
  echo "   $((SECONDS - started)) s; report: $out/index.html"
}

start_gateway defaults
run_pass defaults "$gateway_addr" "${AUTOBAHN_CASES:-[\"1.*\", \"2.*\", \"3.*\", \"4.*\", \"5.*\", \"6.*\", \"7.*\", \"10.*\", \"12.*\", \"13.*\"]}"
passes=("$work/report/defaults/index.json")
if [ -z "${AUTOBAHN_SKIP_LARGE:-}" ]; then
  start_gateway large SWITCHBOARD_MAX_FRAME_BYTES=4194304
  run_pass large "$gateway_addr" '["9.*"]'
  passes+=("$work/report/large/index.json")
fi

# Counts per outcome; fails on any FAILED case, wrong close code or unclean close.
python3 - "${passes[@]}" <<'EOF'
import collections, json, sys

order = ["OK", "NON-STRICT", "INFORMATIONAL", "UNIMPLEMENTED", "FAILED"]
bad_close = {"FAILED", "WRONG CODE", "UNCLEAN", "FAILED BY CLIENT"}
total = collections.Counter()
failures = []
for path in sys.argv[1:]:
    for agent, cases in json.load(open(path)).items():
        counts = collections.Counter(case["behavior"] for case in cases.values())
        total.update(counts)
        print("%-28s %4d cases: %s" % (agent, len(cases), ", ".join(
            "%s %d" % (k, counts[k]) for k in order + sorted(set(counts) - set(order)))))
        for case_id, case in sorted(cases.items()):
            if case["behavior"] == "FAILED" or case["behaviorClose"] in bad_close:
                failures.append("%s %s: behavior %s, close %s (code %s)" % (
                    agent, case_id, case["behavior"], case["behaviorClose"],
                    case.get("remoteCloseCode")))
print("%-28s %4d cases: %s" % ("total", sum(total.values()), ", ".join(
    "%s %d" % (k, total[k]) for k in order + sorted(set(total) - set(order)))))
for failure in failures:
    print("FAILED " + failure)
sys.exit(1 if failures else 0)
EOF
