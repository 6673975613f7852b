#!/usr/bin/env bash
# The language decision against the one before it (the fixed cascade: explicit > reliable
# detection > session > hello.locales > weak guess), same script, same files:
#
#   ./tools/lab/scripts/language_decision.sh [BEFORE_COMMIT]     (default 2ceb627: eval --hello, old decision)
#
# Prints, per file and browser setting, the share of lines answered in their own language and
# the share answered with the right intent (`switchboard eval`'s language and answer columns).
# Files: lingua's test lines of ../shared/data/langid-dev.tsv split by kind (measured only),
# the demo content's held-back examples (every fifth, stores from the rest: `--train`),
# tools/lab/data/chat-test.tsv (measured only) and chat-dev.tsv (it chose the weights).
# Messages in unsupported languages: tools/lab/examples/langid_unsupported.rs --second-half for both.
set -euo pipefail
cd "$(dirname "$0")/../../.."
BEFORE=${1:-2ceb627}
DATA=${SWITCHBOARD_SHARED_DATA:-../shared/data}
OUT=target/language-decision
mkdir -p "$OUT"
if [ ! -x "$OUT/before-target/release/switchboard" ]; then
  rm -rf "$OUT/before"
  git worktree add -f "$OUT/before" "$BEFORE" >/dev/null
  (cd "$OUT/before" && CARGO_TARGET_DIR="$PWD/../before-target" cargo build --release --bin switchboard --example langid_unsupported)
  git worktree remove --force "$OUT/before"
fi
cargo build --release -p switchboard -p switchboard-lab --bin switchboard --example langid_unsupported
for k in sentences word-pairs single-words; do
  awk -F'\t' -v k="$k" '!/^#/ && $2==k {print $1"\tnull\t"$3}' "$DATA/langid-dev.tsv" > "$OUT/langid-$k.tsv"
done
python3 - "$OUT" <<'PY'
import sys, tomllib, glob, os
out = sys.argv[1]
train, test = open(f"{out}/holdout-train.tsv", "w"), open(f"{out}/holdout-test.tsv", "w")
for path in sorted(glob.glob("intents/*/*.toml")):
    locale = path.split("/")[1]
    for intent, body in tomllib.load(open(path, "rb")).items():
        for i, text in enumerate(body.get("examples", [])):
            (test if i % 5 == 4 else train).write(f"{locale}\t{intent}\t{text}\n")
PY
run() { # binary, hello, file, [train] -> "language answer"
  local extra=()
  [ -n "${4:-}" ] && extra=(--train "$4")
  "$1" eval --format json --hello "$2" "${extra[@]}" "$3" |
    python3 -c 'import json,sys; o=json.load(sys.stdin)["overall"]; print("%.1f%% %.1f%%" % (100*o["language_accuracy"], 100*(o.get("answer_accuracy") or 0)))'
}
echo "| file | browser | before: language | after: language | before: intent answered | after: intent answered |"
echo "|---|---|---|---|---|---|"
for spec in "langid-sentences:$OUT/langid-sentences.tsv:" "langid-word-pairs:$OUT/langid-word-pairs.tsv:" \
            "langid-single-words:$OUT/langid-single-words.tsv:" "held-back examples:$OUT/holdout-test.tsv:$OUT/holdout-train.tsv" \
            "chat-test:tools/lab/data/chat-test.tsv:" "chat-dev (chose weights):tools/lab/data/chat-dev.tsv:"; do
  IFS=: read -r name file train <<<"$spec"
  for hello in none same en de; do
    read -r bl ba <<<"$(run "$OUT/before-target/release/switchboard" "$hello" "$file" "$train")"
    read -r al aa <<<"$(run target/release/switchboard "$hello" "$file" "$train")"
    echo "| $name | $hello | $bl | $al | $ba | $aa |"
  done
done
echo
echo "unsupported languages (second half of tools/lab/data/langid-unsupported.tsv), kept in the browser's locale:"
echo "before: $("$OUT/before-target/release/examples/langid_unsupported" | tail -2 | head -1)"
echo "after:  $(target/release/examples/langid_unsupported --second-half | tail -2 | head -1)"
