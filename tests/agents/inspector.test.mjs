// The MCP Inspector's command line (`inspector --cli`) against `thrive-blocks
// mcp` over stdio and over streamable HTTP: tools/list (with its schema
// portability check, --strict) and a tools/call succeed.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { BLOCKS, ROOT, TOKEN, manifestIndex, startMcpHttp } from "./servers.mjs";

const INSPECTOR = join(ROOT, "tests", "agents", "node_modules", ".bin", "inspector");

/** Runs the Inspector CLI; resolves with {code, stdout, stderr}. */
async function inspector(...args) {
  try {
    const { stdout, stderr } = await promisify(execFile)(INSPECTOR, ["--cli", ...args], {
      timeout: 120_000,
      env: { ...process.env, MCP_CATALOG_PATH: join(ROOT, "target", "inspector-catalog.json") },
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    if (typeof e.code !== "number") throw e;
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

function assertEveryTool(run) {
  assert.equal(run.code, 0, run.stderr);
  const { tools } = JSON.parse(run.stdout);
  assert.deepEqual(
    tools.map((t) => t.name).sort(),
    manifestIndex().tools.map((t) => t.id).sort(),
  );
  // --strict: no schema portability error (warnings are allowed).
  assert.match(run.stderr, /\b0 errors\b/);
}

function assertThreeUsers(run) {
  assert.equal(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout);
  assert.equal(result.isError, false);
  assert.equal(result.structuredContent.results.length, 3);
  assert.deepEqual(JSON.parse(result.content[0].text), result.structuredContent);
}

describe("Inspector CLI over stdio (mcp --sandbox)", () => {
  const server = [BLOCKS, "mcp", "--sandbox"];

  test("tools/list passes --strict and lists every tool", async () => {
    assertEveryTool(await inspector(...server, "--method", "tools/list", "--strict"));
  });

  test("tools/call runs a read tool", async () => {
    assertThreeUsers(
      await inspector(
        ...server,
        "--method",
        "tools/call",
        "--tool-name",
        "thrive_search_users",
        "--tool-arg",
        "perPage=3",
      ),
    );
  });
});

describe("Inspector CLI over streamable HTTP (mcp --http)", () => {
  let server;
  before(async () => {
    server = await startMcpHttp();
  });
  after(async () => {
    await server?.stop();
  });
  const bearer = () => ["--transport", "http", "--header", `Authorization: Bearer ${TOKEN}`];

  test("tools/list passes --strict and lists every tool", async () => {
    assertEveryTool(
      await inspector(server.url, ...bearer(), "--method", "tools/list", "--strict"),
    );
  });

  test("tools/call runs a read tool", async () => {
    assertThreeUsers(
      await inspector(
        server.url,
        ...bearer(),
        "--method",
        "tools/call",
        "--tool-name",
        "thrive_search_users",
        "--tool-arg",
        "perPage=3",
      ),
    );
  });

  test("without the token the Inspector is refused and asks for authorization", async () => {
    const run = await inspector(server.url, "--transport", "http", "--method", "tools/list");
    assert.notEqual(run.code, 0);
    assert.equal(run.stdout, "");
    // The 401 makes the Inspector start an authorization flow it cannot run here.
    assert.equal(JSON.parse(run.stderr.trim().split("\n").at(-1)).error.code, "auth_required");
  });
});
