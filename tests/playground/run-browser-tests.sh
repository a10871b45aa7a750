#!/usr/bin/env bash
# The playground in a real browser: Playwright (from PyPI, in a virtual
# environment under target/) drives Debian's Chromium (from apt; never a
# downloaded browser build) against `thrive-blocks serve --sandbox`.
# Screenshots go to target/playground-artifacts/.
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ ! -x /usr/bin/chromium ]; then
    echo "installing chromium with apt-get"
    sudo=$([ "$(id -u)" = 0 ] || echo sudo)
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
fi

target="${CARGO_TARGET_DIR:-$PWD/target}"
venv="$target/playground-venv"
if [ ! -x "$venv/bin/pytest" ] || ! "$venv/bin/python" -c "import playwright" 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r tests/playground/requirements.txt
fi

[ -x "$target/debug/thrive-blocks" ] || cargo build --quiet --bin thrive-blocks

export THRIVE_BLOCKS_BIN="$target/debug/thrive-blocks"
export PLAYGROUND_ARTIFACTS="$target/playground-artifacts"
export CHROMIUM=/usr/bin/chromium
cd tests/playground
exec "$venv/bin/python" -m pytest -q -p no:cacheprovider --durations=5 "${@:-.}"
