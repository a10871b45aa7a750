#!/usr/bin/env bash
# The playground in Debian's Chromium (apt) driven by Playwright (PyPI, in a
# virtual environment under target/): one plan per tool plus whole flows,
# against `thrive-blocks serve --sandbox`. Reuses the debug binary built by
# `cargo test --workspace`.
set -euo pipefail
cd "$(dirname "$0")/../.."
exec tests/playground/run-browser-tests.sh
