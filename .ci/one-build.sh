#!/usr/bin/env bash
# The README's Set up promises one build for its two commands: after
# `cargo run -- demo`, `cargo test --workspace` compiles only what the tests
# add (test targets, the sandbox binary the sandbox's tests start, and the
# test-only dependencies), never again a crate the demo build compiled.
# A dev-dependency that turns on a feature of a shared crate (tokio's
# `test-util`, clap's `wrap_help` through divan's defaults) breaks that:
# the crate, and everything above it, is compiled a second time.
#
# This runs both commands, verbosely, on the current target folder and fails
# if the second recompiles a crate (same name and source file) the first
# compiled, naming each. `.ci/run` calls it before any other build, so the
# target folder is as a fresh clone's; the test command is the one CI runs
# next anyway, so the check costs the demo's run time and a little logging.
set -euo pipefail
cd "$(dirname "$0")/.."
logs=$(mktemp -d)
started=$SECONDS

if ! cargo run -v -- demo >"$logs/demo.out" 2>"$logs/run.log"; then
    tail -n 40 "$logs/run.log"
    echo "one-build: cargo run -- demo failed" >&2
    exit 1
fi
demo_s=$((SECONDS - started))
if ! cargo test --workspace --no-run -v 2>"$logs/test.log"; then
    tail -n 40 "$logs/test.log"
    echo "one-build: cargo test --workspace --no-run failed" >&2
    exit 1
fi
test_s=$((SECONDS - started - demo_s))

# Each compiled unit as `crate-name source-file [test]`, from cargo's
# `Running \`rustc --crate-name NAME ... FILE.rs ...\`` lines.
units() {
    awk '/Running `.*rustc --crate-name / {
        name = ""; file = ""; test = "";
        for (i = 1; i <= NF; i++) {
            if ($i == "--crate-name") name = $(i + 1);
            if (file == "" && $i ~ /\.rs$/) file = $i;
            if ($i == "--test") test = " test";
        }
        print name " " file test
    }' "$1" | sort -u
}
units "$logs/run.log" >"$logs/run.units"
units "$logs/test.log" >"$logs/test.units"

# Units of the second build that are not tests...
grep -v ' test$' "$logs/test.units" >"$logs/test.lib-units" || true
# ...and that the first build compiled already.
again=$(comm -12 "$logs/run.units" "$logs/test.lib-units")
added=$(comm -13 "$logs/run.units" "$logs/test.lib-units" | awk '{print $1}' | sort -u | tr '\n' ' ')
tests=$(grep -c ' test$' "$logs/test.units" || true)

echo "one-build: cargo run -- demo ${demo_s} s ($(wc -l <"$logs/run.units") units compiled);" \
    "cargo test --workspace --no-run ${test_s} s: ${tests} test targets, plus not-yet-built: ${added:-none}"
if [ -n "$again" ]; then
    echo "one-build: FAILED: cargo test --workspace recompiled what cargo run -- demo had built:" >&2
    echo "$again" | sed 's/^/  /' >&2
    echo "(a dev-dependency turns on a feature of a crate the library uses; align it with [dependencies])" >&2
    exit 1
fi
echo "one-build: no crate compiled twice"
