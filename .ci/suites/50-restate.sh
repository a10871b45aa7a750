#!/usr/bin/env bash
# Restate integration: the catalogue as a Restate deployment, on loopback.
#
# Installs the Restate server from npm into tools/restate/it (committed lock
# file; the package ships its native binary as a per-platform optional
# dependency; install scripts are skipped, so its npm analytics hook never
# runs), builds the companion crate (its own workspace, so the root
# `cargo test --workspace` does not compile the Restate SDK) into the root's
# target directory so the dependencies it shares with the main build are
# reused where their features agree, and runs the driver, which starts the
# sandbox, a recording proxy (which can hold one answer back so a kill lands
# after Thrive applied a call), restate-server (telemetry off, loopback
# ports) and the service, then checks reads, writes, idempotency keys, a ref
# collision (409), a create re-sent across a SIGKILL, SyncStart refusing
# another input, the shared 429 gate across two service processes (none
# inside a closed gate; one process's 429 holds the other back), a 500 ->
# 3,000 sync at 5 % 429 + 5 % 5xx with SIGKILLs of process B in an add and in
# a remove entry and of restate-server itself (restarted on its data dir),
# and a 200 -> 1,000 sync at 20 % + 10 %, each with exact membership and the
# requests compared with the minimum. About 3 minutes of driver on 2 cores.
#
# The crate is a workspace of its own, so the root's clippy and doc runs in
# `.ci/run` do not see it: they run here, with the same -D warnings.
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

target_dir=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
export CARGO_TARGET_DIR="$target_dir"
cargo fmt --manifest-path tools/restate/Cargo.toml --all -- --check
cargo clippy --locked --manifest-path tools/restate/Cargo.toml --all-targets --quiet -- -D warnings
RUSTDOCFLAGS="-D warnings" cargo doc --locked --manifest-path tools/restate/Cargo.toml --no-deps --quiet
# One debug build of both binaries; the crate's own tests check their
# command lines and the gate.
cargo test --locked --manifest-path tools/restate/Cargo.toml --quiet
work="$target_dir/restate-it"
rm -rf "$work"
mkdir -p "$work"
timeout 660 "$target_dir/debug/thrive-restate-it" "$server" "$target_dir/debug/thrive-restate" "$work"
