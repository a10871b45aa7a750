"""Fixtures of the playground browser tests: `thrive-blocks serve --sandbox`
on a free loopback port, Debian's Chromium driven by Playwright, and a small
client of the block server's JSON API (used only to look up ids the forms
have no dropdown for, and to read the sandbox's state back)."""

import json
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(os.environ.get("THRIVE_BLOCKS_BIN", ROOT / "target" / "debug" / "thrive-blocks"))
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("PLAYGROUND_ARTIFACTS", ROOT / "target" / "playground-artifacts"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Api:
    """The block server's JSON API with the server's default connection."""

    def __init__(self, base):
        self.base = base

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"null")

    def run(self, tool, body=None):
        status, answer = self.call("POST", f"/tools/{tool}/run", body or {})
        assert status == 200, f"{tool}: {status} {answer}"
        return answer

    def items(self, tool, body=None):
        """Every item of a list tool (all pages when the tool pages)."""
        status, answer = self.call("POST", f"/tools/{tool}/run", {**(body or {}), "returnAll": True, "maxResults": 1000})
        if status == 422:
            answer = self.run(tool, body)
        else:
            assert status == 200, f"{tool}: {status} {answer}"
        if isinstance(answer, list):
            return answer
        if isinstance(answer.get("results"), list):
            return answer["results"]
        arrays = [v for v in answer.values() if isinstance(v, list)]
        assert len(arrays) == 1, answer
        return arrays[0]


@pytest.fixture(scope="session")
def server():
    assert BIN.exists(), f"{BIN} is missing; build it with `cargo build` first"
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("THRIVE_")}
    env["RUST_LOG"] = "warn"
    proc = subprocess.Popen(
        [str(BIN), "serve", "--sandbox", "--bind", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 30
    while True:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.time() > deadline:
            proc.kill()
            raise RuntimeError("serve --sandbox did not start: " + proc.stderr.read().decode())
        time.sleep(0.2)
    yield base
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def api(server):
    return Api(server)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def shared_page(browser, server):
    """One tab for the whole run (the page is a single-page app: picking a
    tool does not reload it); each test starts from a fresh load of /ui."""
    context = browser.new_context(base_url=server, viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(15000)
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    context.close()


@pytest.fixture()
def page(shared_page):
    shared_page.evaluate("() => sessionStorage.clear()") if shared_page.url.startswith("http") else None
    shared_page.goto("/ui")
    shared_page.errors.clear()
    yield shared_page
    assert not shared_page.errors, f"the page threw: {shared_page.errors}"


@pytest.fixture(scope="session")
def artifacts():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
