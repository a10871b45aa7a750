"""`thrive-blocks mcp` driven by the official MCP Python SDK, over stdio and
over streamable HTTP: tools, progress notifications, cancellation, the
bearer token, and warnings forwarded as log messages."""

import json
import os
import time

import anyio
import httpx2
import pytest
from mcp import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client
from mcp.client.streamable_http import streamable_http_client

from conftest import BLOCKS

pytestmark = pytest.mark.anyio

SANDBOX_TENANT = "eu-west-2_SandboxDemo"
SANDBOX_KEY = "sandbox-api-key"


def stdio_params(*args, env=None):
    base = {"RUST_LOG": "warn"}
    base.update(env or {})
    return StdioServerParameters(command=BLOCKS, args=["mcp", *args], env=base)


async def call_with_progress(session, name, arguments):
    seen = []

    async def on_progress(progress, total, message):
        seen.append((progress, total))

    result = await session.call_tool(name, arguments, progress_callback=on_progress)
    return result, seen


async def check_tools_and_progress(session):
    tools = await session.list_tools()
    names = {t.name for t in tools.tools}
    # Every tool of the committed manifest index, no more and no fewer.
    index = os.path.join(os.path.dirname(__file__), "..", "..", "manifests", "index.json")
    with open(index) as f:
        assert names == {t["id"] for t in json.load(f)["tools"]}
    assert "thrive_search_users" in names
    for tool in tools.tools:
        assert "apiKey" not in tool.input_schema.get("properties", {})

    result, seen = await call_with_progress(
        session, "thrive_search_users", {"returnAll": True, "perPage": 10}
    )
    assert not result.is_error, result
    items = result.structured_content["results"]
    assert len(items) > 10
    # One notification per page, increasing, the last one counting every item.
    assert len(seen) == (len(items) + 9) // 10, seen
    assert all(a[0] < b[0] for a, b in zip(seen, seen[1:])), seen
    assert seen[-1][0] == len(items)


async def test_stdio_tools_and_progress_per_page():
    async with stdio_client(stdio_params("--sandbox")) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            await check_tools_and_progress(session)


async def test_stdio_warnings_are_forwarded_as_log_messages():
    logs = []

    async def on_log(params):
        logs.append(params)

    async with stdio_client(stdio_params("--sandbox")) as (read, write):
        async with ClientSession(read, write, logging_callback=on_log) as session:
            await session.initialize()
            members = await session.call_tool(
                "thrive_list_audience_members", {"audienceId": "aud-finance"}
            )
            assert not members.is_error, members
            result = await session.call_tool(
                "thrive_add_audience_members",
                {"audienceId": "aud-finance", "users": ["nobody@example.com"]},
            )
            assert result.structured_content["partial"] is True
            await anyio.sleep(0.2)
    warnings = [p for p in logs if p.level == "warning"]
    assert len(warnings) == 1, logs
    assert warnings[0].data["tool"] == "thrive_add_audience_members"
    assert "nobody@example.com" not in str(warnings[0].data)


async def test_stdio_cancelled_call_stops_and_the_session_goes_on(slow_sandbox):
    env = {
        "THRIVE_TENANT_ID": SANDBOX_TENANT,
        "THRIVE_API_KEY": SANDBOX_KEY,
        "THRIVE_HOST": slow_sandbox,
        "THRIVE_ALLOWED_HOSTS": slow_sandbox,
    }
    async with stdio_client(stdio_params(env=env)) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            started = time.monotonic()
            # The SDK sends notifications/cancelled when the caller gives up.
            with anyio.move_on_after(0.5) as scope:
                await session.call_tool("thrive_get_skill_levels", {})
            assert scope.cancelled_caught
            assert time.monotonic() - started < 1.5
            # The server keeps serving: a ping at once, a slow call in full.
            await session.send_ping()
            result = await session.call_tool("thrive_get_skill_levels", {})
            assert not result.is_error, result
            assert result.structured_content["levels"]


async def test_streamable_http_cancelled_call_stops_and_the_session_goes_on(slow_http_server):
    url, token = slow_http_server
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx2.AsyncClient(headers=headers, timeout=30) as http:
        async with streamable_http_client(url, http_client=http) as (read, write, *_):
            async with ClientSession(read, write) as session:
                await session.initialize()
                started = time.monotonic()
                with anyio.move_on_after(0.5) as scope:
                    await session.call_tool("thrive_get_skill_levels", {})
                assert scope.cancelled_caught
                assert time.monotonic() - started < 1.5
                await session.send_ping()
                result = await session.call_tool("thrive_get_skill_levels", {})
                assert not result.is_error, result
                assert result.structured_content["levels"]


async def test_streamable_http_with_token_and_progress(http_server):
    url, token = http_server
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx2.AsyncClient(headers=headers, timeout=30) as http:
        async with streamable_http_client(url, http_client=http) as (read, write, *_):
            async with ClientSession(read, write) as session:
                await session.initialize()
                await check_tools_and_progress(session)
                await session.send_ping()


async def test_streamable_http_refuses_a_missing_or_wrong_token(http_server):
    url, _ = http_server
    body = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {
            "protocolVersion": "2025-06-18",
            "capabilities": {},
            "clientInfo": {"name": "t", "version": "1"},
        },
    }
    async with httpx2.AsyncClient(timeout=30) as http:
        for headers in ({}, {"Authorization": "Bearer wrong"}):
            response = await http.post(
                url,
                json=body,
                headers={"Accept": "application/json, text/event-stream", **headers},
            )
            assert response.status_code == 401, response.text
            assert response.json()["error"]["code"] == "unauthorized"
            assert response.json()["error"]["delivery"] == "not_sent"
            assert response.headers["www-authenticate"] == "Bearer"
        # A foreign Origin is refused even with the token.
        response = await http.post(
            url,
            json=body,
            headers={
                "Accept": "application/json, text/event-stream",
                "Authorization": "Bearer py-test-token-5d1e",
                "Origin": "https://evil.example.com",
            },
        )
        assert response.status_code == 403, response.text
