// `thrive-blocks mcp --http` driven by the official MCP TypeScript SDK's
// StreamableHTTPClientTransport, connected as Sim Studio connects: a URL and
// an `Authorization: Bearer …` header.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { LATEST_PROTOCOL_VERSION } from "@modelcontextprotocol/sdk/types.js";
import {
  TOKEN,
  manifest,
  manifestIndex,
  startMcpHttp,
  startSlowMcpHttp,
} from "./servers.mjs";

const BEARER = { Authorization: `Bearer ${TOKEN}` };

/** A connected client and its transport, with every client-side error kept. */
async function connect(url, headers = BEARER) {
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers },
  });
  const client = new Client({ name: "agents-test", version: "1.0.0" });
  const errors = [];
  client.onerror = (e) => errors.push(e);
  await client.connect(transport);
  return { client, transport, errors };
}

/** The one text block of a result, parsed. */
function textJson(result) {
  assert.equal(result.content.length, 1);
  assert.equal(result.content[0].type, "text");
  return JSON.parse(result.content[0].text);
}

/** POSTs one JSON-RPC message as the transport would, with extra headers. */
async function post(url, body, headers) {
  return fetch(url, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      Accept: "application/json, text/event-stream",
      ...headers,
    },
    body: JSON.stringify(body),
  });
}

/** `listed` is `manifest`, except that a subschema `true` may be listed as `{}`
 *  (the same schema, as an object). */
function assertSameSchema(listed, manifest, path) {
  if (manifest === true && listed !== true) {
    assert.deepEqual(listed, {}, path);
  } else if (manifest !== null && typeof manifest === "object") {
    assert.equal(typeof listed, "object", path);
    assert.deepEqual(Object.keys(listed), Object.keys(manifest), path);
    for (const key of Object.keys(manifest)) {
      assertSameSchema(listed[key], manifest[key], `${path}/${key}`);
    }
  } else {
    assert.deepEqual(listed, manifest, path);
  }
}

const INITIALIZE = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: {
    protocolVersion: LATEST_PROTOCOL_VERSION,
    capabilities: {},
    clientInfo: { name: "raw", version: "1" },
  },
};

describe("mcp --http with the embedded sandbox", () => {
  let server;
  let session;
  before(async () => {
    server = await startMcpHttp();
    session = await connect(server.url);
  });
  after(async () => {
    await session?.client.close();
    await server?.stop();
  });

  test("initialize gives a session id and the protocol version in use", () => {
    const { client, transport } = session;
    assert.match(transport.sessionId, /^[\w-]{16,}$/);
    assert.equal(transport.protocolVersion, LATEST_PROTOCOL_VERSION);
    assert.equal(client.getServerVersion().name, "thrive-blocks");
    assert.equal(client.getServerVersion().title, "Thrive Learning");
    const caps = client.getServerCapabilities();
    assert.ok(caps.tools, "tools capability");
    assert.ok(caps.logging, "logging capability");
    assert.match(client.getInstructions(), /never pass tenantId, apiKey/);
  });

  test("tools/list: every tool with its title, hints as annotations and output schema", async () => {
    const { tools, nextCursor } = await session.client.listTools();
    assert.equal(nextCursor, undefined);
    const index = manifestIndex().tools;
    assert.deepEqual(
      tools.map((t) => t.name).sort(),
      index.map((t) => t.id).sort(),
    );
    for (const tool of tools) {
      const m = manifest(tool.name);
      assert.equal(tool.title, m.title, tool.name);
      assert.deepEqual(
        tool.annotations,
        {
          title: m.title,
          readOnlyHint: m.hints.readOnly,
          destructiveHint: m.hints.destructive,
          idempotentHint: m.hints.idempotent,
          openWorldHint: true,
        },
        tool.name,
      );
      assertSameSchema(tool.outputSchema, m.outputSchema, tool.name);
      assert.equal(tool.inputSchema.type, "object");
      for (const secret of ["tenantId", "apiKey", "host", "clientId", "scope"]) {
        assert.equal(tool.inputSchema.properties?.[secret], undefined, `${tool.name} ${secret}`);
      }
      assert.ok(tool.description.endsWith(`Thrive endpoint: ${m.endpoint}.`), tool.name);
    }
    // The hints as the manifests state them, for a few well-known tools.
    const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
    assert.equal(byName.thrive_search_users.annotations.readOnlyHint, true);
    assert.equal(byName.thrive_delete_user.annotations.destructiveHint, true);
    assert.equal(byName.thrive_create_user.annotations.readOnlyHint, false);
  });

  test("a read tool answers text and structuredContent that fits its output schema", async () => {
    const result = await session.client.callTool({
      name: "thrive_search_users",
      arguments: { perPage: 5 },
    });
    assert.equal(result.isError, false);
    assert.equal(result.structuredContent.results.length, 5);
    assert.deepEqual(textJson(result), result.structuredContent);
  });

  test("a write tool creates, and a read finds what it wrote", async () => {
    const created = await session.client.callTool({
      name: "thrive_create_user",
      arguments: {
        ref: "TS-SDK-001",
        firstName: "Ada",
        lastName: "Lovelace",
        email: "ada.ts@example.com",
      },
    });
    assert.equal(created.isError, false, JSON.stringify(created));
    assert.equal(created.structuredContent.user.ref, "TS-SDK-001");
    const read = await session.client.callTool({
      name: "thrive_get_user_by_ref",
      arguments: { ref: "TS-SDK-001" },
    });
    assert.equal(read.isError, false, JSON.stringify(read));
    assert.equal(read.structuredContent.user.email, "ada.ts@example.com");
    assert.equal(read.structuredContent.user.id, created.structuredContent.user.id);
  });

  test("a call failing validation is isError with every violation, nothing sent", async () => {
    const result = await session.client.callTool({
      name: "thrive_create_user",
      arguments: { ref: "TS-SDK-002", role: "owner" },
    });
    assert.equal(result.isError, true);
    const { error } = textJson(result);
    assert.equal(error.code, "invalid_input");
    assert.equal(error.delivery, "not_sent");
    assert.deepEqual(
      error.details.map((d) => d.pointer).sort(),
      ["/email", "/firstName", "/lastName", "/role"],
    );
    // A connection input is refused by name.
    const smuggled = await session.client.callTool({
      name: "thrive_search_users",
      arguments: { apiKey: "stolen" },
    });
    assert.equal(smuggled.isError, true);
    assert.deepEqual(
      textJson(smuggled).error.details.map((d) => d.pointer),
      ["/apiKey"],
    );
  });

  test("a returnAll call reports progress per page", async () => {
    const seen = [];
    const result = await session.client.callTool(
      { name: "thrive_search_users", arguments: { returnAll: true, perPage: 10 } },
      undefined,
      { onprogress: (p) => seen.push(p) },
    );
    assert.equal(result.isError, false);
    const items = result.structuredContent.results.length;
    assert.ok(items > 30, `${items} users`);
    assert.equal(seen.length, Math.ceil(items / 10));
    for (let i = 1; i < seen.length; i++) {
      assert.ok(seen[i].progress > seen[i - 1].progress, JSON.stringify(seen));
    }
    assert.equal(seen.at(-1).progress, items);
    assert.deepEqual(session.errors, []);
  });

  test("tools/list with a cursor it never handed out is refused", async () => {
    await assert.rejects(
      session.client.listTools({ cursor: "page-2" }),
      (e) => e.code === -32602 && /unknown cursor/.test(e.message),
    );
  });

  test("without the bearer token (or with a wrong one) the server answers 401", async () => {
    for (const headers of [{}, { Authorization: "Bearer wrong" }]) {
      const response = await post(server.url, INITIALIZE, headers);
      assert.equal(response.status, 401);
      assert.equal(response.headers.get("www-authenticate"), "Bearer");
      const body = await response.json();
      assert.equal(body.error.code, "unauthorized");
    }
    await assert.rejects(connect(server.url, {}), /401|nauthori/);
  });

  test("raw HTTP: MCP-Protocol-Version checked, GET stream opens, DELETE ends", async () => {
    const init = await post(server.url, INITIALIZE, BEARER);
    assert.equal(init.status, 200);
    const sessionId = init.headers.get("mcp-session-id");
    assert.ok(sessionId);
    await init.text();
    const headers = { ...BEARER, "Mcp-Session-Id": sessionId };
    const initialized = await post(
      server.url,
      { jsonrpc: "2.0", method: "notifications/initialized" },
      { ...headers, "MCP-Protocol-Version": LATEST_PROTOCOL_VERSION },
    );
    assert.equal(initialized.status, 202);
    const ping = { jsonrpc: "2.0", id: 2, method: "ping" };
    const good = await post(server.url, ping, {
      ...headers,
      "MCP-Protocol-Version": LATEST_PROTOCOL_VERSION,
    });
    assert.equal(good.status, 200);
    // Answers come as JSON or as an event stream, both of which clients accept.
    assert.match(good.headers.get("content-type"), /^(application\/json|text\/event-stream)/);
    assert.match(await good.text(), /"id":2,"result":\{\}/);
    const bad = await post(server.url, ping, { ...headers, "MCP-Protocol-Version": "1999-01-01" });
    assert.equal(bad.status, 400);
    await bad.text();
    // The GET stream for server-initiated messages opens.
    const controller = new AbortController();
    const stream = await fetch(server.url, {
      headers: { ...headers, Accept: "text/event-stream", "MCP-Protocol-Version": LATEST_PROTOCOL_VERSION },
      signal: controller.signal,
    });
    assert.equal(stream.status, 200);
    assert.match(stream.headers.get("content-type"), /^text\/event-stream/);
    controller.abort();
    const end = await fetch(server.url, { method: "DELETE", headers });
    assert.ok([200, 202, 204].includes(end.status), `${end.status}`);
  });

  test("DELETE ends the session: its id is then unknown", async () => {
    const own = await connect(server.url);
    const sessionId = own.transport.sessionId;
    await own.client.ping();
    await own.transport.terminateSession();
    assert.equal(own.transport.sessionId, undefined);
    const after = await post(
      server.url,
      { jsonrpc: "2.0", id: 9, method: "ping" },
      { ...BEARER, "Mcp-Session-Id": sessionId, "MCP-Protocol-Version": LATEST_PROTOCOL_VERSION },
    );
    assert.equal(after.status, 404);
    await after.text();
    await own.client.close();
  });
});

describe("mcp --http calling a slow sandbox", () => {
  let server;
  before(async () => {
    server = await startSlowMcpHttp(700);
  });
  after(async () => {
    await server?.stop();
  });

  test("a cancelled call stops: no more progress, no answer, and the session goes on", async () => {
    const { client, errors } = await connect(server.url);
    const controller = new AbortController();
    const seen = [];
    const started = Date.now();
    const call = client.callTool(
      { name: "thrive_search_users", arguments: { returnAll: true, perPage: 10 } },
      undefined,
      {
        signal: controller.signal,
        onprogress: (p) => {
          seen.push(p);
          controller.abort("enough");
        },
      },
    );
    await assert.rejects(call, /enough|abort/i);
    assert.equal(seen.length, 1);
    // Pages take 0.7 s each: a call still running would send more progress
    // (an unknown token now) and an answer (an unknown id), both reported
    // through onerror.
    await new Promise((r) => setTimeout(r, 2500));
    assert.deepEqual(errors.map(String), []);
    assert.ok(Date.now() - started < 6000);
    await client.ping();
    const levels = await client.callTool({ name: "thrive_get_skill_levels", arguments: {} });
    assert.equal(levels.isError, false);
    assert.ok(levels.structuredContent.levels.length > 0);
    await client.close();
  });
});
