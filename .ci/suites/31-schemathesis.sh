#!/usr/bin/env bash
# schemathesis (PyPI, in a virtual environment under target/) against the
# block server's GET /openapi.json: no server error from its own code, every
# status and body as the document describes. Reuses the debug binary.
set -euo pipefail
cd "$(dirname "$0")/../.."
exec tests/schemathesis/run-schemathesis.sh
