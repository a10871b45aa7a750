#!/usr/bin/env bash
# The Node-RED palette (integrations/node-red): `export node-red --check`
# (the committed package matches the catalogue), then its tests with
# node-red-node-test-helper and a real Node-RED (node --test), against block
# servers and sandboxes on loopback, and a headless Chromium screenshot of
# the editor. Reuses the debug binaries built by `cargo test --workspace`.
set -euo pipefail
cd "$(dirname "$0")/../.."
started=$SECONDS

need_apt=()
command -v node >/dev/null && command -v npm >/dev/null || need_apt+=(nodejs npm)
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
if [ ${#need_apt[@]} -gt 0 ]; then
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}"
fi

[ -x target/debug/thrive-blocks ] || cargo build --quiet --bin thrive-blocks
[ -x target/debug/thrive-sandbox ] || cargo build --quiet -p thrive-sandbox

echo "-- thrive-blocks export node-red --check"
target/debug/thrive-blocks export node-red --check

echo "-- npm ci"
(cd integrations/node-red && npm ci --no-audit --no-fund --loglevel=error)

echo "-- node --test"
export THRIVE_BLOCKS_BIN="$PWD/target/debug/thrive-blocks"
export THRIVE_SANDBOX_BIN="$PWD/target/debug/thrive-sandbox"
export NODE_RED_TEST_OUT="$PWD/target/node-red-test"
rm -rf "$NODE_RED_TEST_OUT/tmp"
(cd integrations/node-red && node --test --test-concurrency=1 --test-reporter=spec test/*.test.js)
echo "-- screenshot: $NODE_RED_TEST_OUT/node-red-editor.png"
echo "-- node-red suite took $((SECONDS - started)) s"
