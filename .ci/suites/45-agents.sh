#!/usr/bin/env bash
# Agent hosts without glue (issue 23): `thrive-blocks mcp --http` driven by
# the official MCP TypeScript SDK as Sim Studio connects (URL + bearer
# header), the MCP Inspector CLI over stdio and HTTP, and the
# `export openai|gemini|anthropic` lists loaded through the vendors' own
# Python SDK types. Offline: every server is a loopback one started here.
# Reuses the debug binaries built by `cargo test --workspace`.
set -euo pipefail
cd "$(dirname "$0")/../.."
target="${CARGO_TARGET_DIR:-$PWD/target}"
export CARGO_TARGET_DIR="$target"
for bin in thrive-blocks thrive-sandbox; do
  if [ ! -x "$target/debug/$bin" ]; then
    cargo build --quiet --bin "$bin" -p "$bin"
  fi
done
if ! command -v npm >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq nodejs npm
fi

echo "-- MCP TypeScript SDK and Inspector CLI"
(
  cd tests/agents
  npm ci --no-audit --no-fund --loglevel=error
  node --test --test-reporter=tap --test-concurrency=1 mcp_sdk.test.mjs inspector.test.mjs
)

echo "-- exports through the openai, anthropic and google-genai SDK types"
venv="$target/agents-venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r tests/agents/python/requirements.txt
cd tests/agents/python
"$venv/bin/python" -m pytest -q -p no:cacheprovider "$@"
