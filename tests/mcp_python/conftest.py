"""Shared fixtures: the binaries under test and a standalone slow sandbox."""

import os
import re
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
BLOCKS = str(TARGET / "debug" / "thrive-blocks")
SANDBOX = str(TARGET / "debug" / "thrive-sandbox")


@pytest.fixture
def anyio_backend():
    return "asyncio"


def read_line_matching(stream, pattern, within=60.0):
    """Reads lines of `stream` until one matches `pattern`; returns the match."""
    deadline = time.monotonic() + within
    seen = []
    while time.monotonic() < deadline:
        line = stream.readline()
        if not line:
            break
        seen.append(line)
        match = re.search(pattern, line)
        if match:
            return match
    raise AssertionError(f"no line matching {pattern!r} in {seen!r}")


@pytest.fixture
def slow_sandbox():
    """A standalone sandbox answering every /rest call after 2 s: its URL."""
    proc = subprocess.Popen(
        [SANDBOX, "--port", "0", "--latency-ms", "2000"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        url = read_line_matching(proc.stdout, r"(http://127\.0\.0\.1:\d+)").group(1)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


TOKEN = "py-test-token-5d1e"


def start_http(args, extra_env):
    env = dict(os.environ, THRIVE_BLOCKS_SERVER_TOKEN=TOKEN, **extra_env)
    env.pop("RUST_LOG", None)
    return subprocess.Popen(
        [BLOCKS, "mcp", *args, "--http", "127.0.0.1:0"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


@pytest.fixture
def slow_http_server(slow_sandbox):
    """`thrive-blocks mcp --http` calling the slow sandbox: (url, token)."""
    proc = start_http(
        [],
        {
            "THRIVE_TENANT_ID": "eu-west-2_SandboxDemo",
            "THRIVE_API_KEY": "sandbox-api-key",
            "THRIVE_HOST": slow_sandbox,
            "THRIVE_ALLOWED_HOSTS": slow_sandbox,
        },
    )
    try:
        url = read_line_matching(proc.stderr, r"over MCP on (http://\S+/mcp)").group(1)
        yield url, TOKEN
    finally:
        proc.terminate()
        proc.wait(timeout=40)


@pytest.fixture
def http_server():
    """`thrive-blocks mcp --sandbox --http 127.0.0.1:0` with a server token: (url, token)."""
    token = TOKEN
    env = dict(os.environ, THRIVE_BLOCKS_SERVER_TOKEN=token)
    env.pop("RUST_LOG", None)
    proc = subprocess.Popen(
        [BLOCKS, "mcp", "--sandbox", "--http", "127.0.0.1:0"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        url = read_line_matching(proc.stderr, r"over MCP on (http://\S+/mcp)").group(1)
        yield url, token
    finally:
        proc.terminate()
        proc.wait(timeout=40)
