#!/usr/bin/env bash
# Issue 21's language figures for added locales: lingua's own test lines (the testdata of the
# lingua-*-language-model crates, the build-dependencies the table is made from) of Polish,
# Swedish, Korean and Ukrainian, as a `lang<TAB>kind<TAB>text` file for langid_accuracy:
#
#   ./tools/lab/scripts/extra_langid.sh > target/langid-extra.tsv
#   cargo test --test it -- languages::the_demo_content_with_four_more_locales
#   cargo run --release -p switchboard-lab --example langid_accuracy -- --content target/content-17 target/langid-extra.tsv
set -euo pipefail
cd "$(dirname "$0")/../../.."
cargo fetch -q
registry="${CARGO_HOME:-$HOME/.cargo}/registry/src"
for pair in pl:polish sv:swedish ko:korean uk:ukrainian; do
  code=${pair%%:*} name=${pair#*:}
  dir=$(ls -d "$registry"/*/lingua-"$name"-language-model-1.3.0/testdata | head -1)
  for kind in sentences word-pairs single-words; do
    awk -v c="$code" -v k="$kind" 'NF {print c "\t" k "\t" $0}' "$dir/$kind.txt"
  done
done
