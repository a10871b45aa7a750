#!/usr/bin/env bash
# MCP tests with the official Python SDK (`mcp` from PyPI): `thrive-blocks mcp`
# over stdio and streamable HTTP, with progress, cancellation, the bearer token
# and forwarded warnings. Reuses the debug binaries built by `cargo test`.
set -euo pipefail
cd "$(dirname "$0")/../.."
target="${CARGO_TARGET_DIR:-$PWD/target}"
export CARGO_TARGET_DIR="$target"
for bin in thrive-blocks thrive-sandbox; do
  if [ ! -x "$target/debug/$bin" ]; then
    cargo build --quiet --bin "$bin" -p "$([ "$bin" = thrive-sandbox ] && echo thrive-sandbox || echo thrive-blocks)"
  fi
done
venv="$target/mcp-python-venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r tests/mcp_python/requirements.txt
cd tests/mcp_python
"$venv/bin/python" -m pytest -q -p no:cacheprovider "$@"
