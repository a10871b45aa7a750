#!/usr/bin/env bash
# Restate integration: the catalogue as a Restate deployment, on loopback.
#
# Installs the Restate server from npm into tools/restate/it (committed lock
# file; the package ships its native binary as a per-platform optional
# dependency; install scripts are skipped, so its npm analytics hook never
# runs), reuses the companion crate's debug binaries built by
# `cargo test --workspace` (one build, no release profile), and runs
# the driver, which starts the sandbox, a recording proxy, restate-server
# (telemetry off, loopback ports) and the service, then checks reads, writes,
# idempotency keys, a crash in the middle of a 10,000-user sync and the
# shared 429 gate across two service processes.
set -euo pipefail
cd "$(dirname "$0")/../.."

export SCARF_ANALYTICS=false DO_NOT_TRACK=1
(
    cd tools/restate/it
    npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
)
# The native binary itself (the package's `bin` is a Node wrapper around it).
server=$(ls tools/restate/it/node_modules/@restatedev/restate-server-*/bin/restate-server | head -n 1)
"$server" --version

# `cargo test --workspace` has built both binaries (tools/restate/tests/cli.rs
# needs them); this is a no-op then, and builds them with the same feature set
# (so no dependency is compiled twice) when the suite runs on its own.
cargo test --workspace --no-run --quiet
target_dir=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
work="$target_dir/restate-it"
rm -rf "$work"
mkdir -p "$work"
timeout 480 "$target_dir/debug/thrive-restate-it" "$server" "$target_dir/debug/thrive-restate" "$work"
