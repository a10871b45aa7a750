#!/usr/bin/env bash
# schemathesis (from PyPI, in a virtual environment under target/) against
# GET /openapi.json of `thrive-blocks serve --sandbox`: no 5xx from the
# server's own code, every response as the document describes it. Calls
# that would leave the machine (a generated connection pointing at a Thrive
# region host) go to a dead loopback proxy instead.
set -euo pipefail
cd "$(dirname "$0")/../.."

target="${CARGO_TARGET_DIR:-$PWD/target}"
venv="$target/schemathesis-venv"
if [ ! -x "$venv/bin/schemathesis" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r tests/schemathesis/requirements.txt
fi
[ -x "$target/debug/thrive-blocks" ] || cargo build --quiet --bin thrive-blocks

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
dead=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
log="$target/schemathesis-serve.log"
env -u THRIVE_TENANT_ID -u THRIVE_API_KEY -u THRIVE_HOST -u THRIVE_CLIENT_ID -u THRIVE_SCOPE \
    HTTPS_PROXY="http://127.0.0.1:$dead" HTTP_PROXY="http://127.0.0.1:$dead" ALL_PROXY="http://127.0.0.1:$dead" \
    NO_PROXY=127.0.0.1,localhost RUST_LOG=warn \
    "$target/debug/thrive-blocks" serve --sandbox --bind "127.0.0.1:$port" 2>"$log" &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
    curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    sleep 0.2
done
curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null

# Run from the target dir: schemathesis keeps its example database in the
# working directory, which must not be the source tree.
config="$PWD/tests/schemathesis/schemathesis.toml"
cd "$target"
"$venv/bin/schemathesis" --config-file "$config" run \
    "http://127.0.0.1:$port/openapi.json" \
    --checks not_a_server_error,status_code_conformance,response_schema_conformance \
    --max-examples "${SCHEMATHESIS_MAX_EXAMPLES:-10}" \
    --phases examples,fuzzing \
    --mode positive \
    --header 'Sec-Fetch-Site: none' \
    --workers 2 \
    --request-timeout 20 \
    --no-color
