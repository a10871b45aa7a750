// Starts the binaries under test on loopback: `thrive-blocks mcp --http`
// (with the embedded sandbox, or calling a standalone slow sandbox) and
// `thrive-sandbox`. Each start returns its URL and a stop function.

import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const TARGET = process.env.CARGO_TARGET_DIR ?? join(ROOT, "target");
export const BLOCKS = join(TARGET, "debug", "thrive-blocks");
export const SANDBOX = join(TARGET, "debug", "thrive-sandbox");

/** The bearer token the servers are started with (as Sim Studio sends one). */
export const TOKEN = "agents-test-token-7c41";
export const SANDBOX_TENANT = "eu-west-2_SandboxDemo";
export const SANDBOX_KEY = "sandbox-api-key";

/** The committed manifest index: `{tools: [{id, title, ...}]}`. */
export function manifestIndex() {
  return JSON.parse(readFileSync(join(ROOT, "manifests", "index.json"), "utf8"));
}

/** One tool's committed manifest. */
export function manifest(id) {
  return JSON.parse(readFileSync(join(ROOT, "manifests", `${id}.json`), "utf8"));
}

/** The environment without THRIVE_* and RUST_LOG, plus `extra`. */
function cleanEnv(extra) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith("THRIVE_") && k !== "RUST_LOG") env[k] = v;
  }
  return { ...env, ...extra };
}

/** Spawns `command` and resolves with the first match of `pattern` in the
 *  lines of `stream` ("stdout" or "stderr"), and a stop function. */
function startUntil(command, args, env, stream, pattern) {
  const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  const lines = createInterface({ input: child[stream] });
  const other = stream === "stdout" ? child.stderr : child.stdout;
  other.resume();
  const seen = [];
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((done) => child.once("exit", done));
    child.kill("SIGTERM");
    await exited;
  };
  return new Promise((resolveStart, rejectStart) => {
    const timer = setTimeout(() => {
      stop();
      rejectStart(new Error(`${command} printed no ${pattern} within 60 s: ${seen.join("\n")}`));
    }, 60_000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      rejectStart(new Error(`${command} exited with ${code}: ${seen.join("\n")}`));
    });
    lines.on("line", (line) => {
      seen.push(line);
      const match = line.match(pattern);
      if (match) {
        clearTimeout(timer);
        lines.removeAllListeners("line");
        lines.on("line", () => {});
        resolveStart({ match, stop, child });
      }
    });
  });
}

/** `thrive-blocks mcp --sandbox --http 127.0.0.1:0` with the server token. */
export async function startMcpHttp() {
  const { match, stop } = await startUntil(
    BLOCKS,
    ["mcp", "--sandbox", "--http", "127.0.0.1:0", "--grace", "2"],
    cleanEnv({ THRIVE_BLOCKS_SERVER_TOKEN: TOKEN }),
    "stderr",
    /over MCP on (http:\/\/\S+\/mcp)/,
  );
  return { url: match[1], stop };
}

/** A standalone sandbox answering every /rest call after `latencyMs`, and
 *  `thrive-blocks mcp --http` calling it with its demo credentials. */
export async function startSlowMcpHttp(latencyMs) {
  const sandbox = await startUntil(
    SANDBOX,
    ["--port", "0", "--latency-ms", String(latencyMs)],
    cleanEnv({}),
    "stdout",
    /(http:\/\/127\.0\.0\.1:\d+)/,
  );
  const host = sandbox.match[1];
  try {
    const server = await startUntil(
      BLOCKS,
      ["mcp", "--http", "127.0.0.1:0", "--grace", "2"],
      cleanEnv({
        THRIVE_BLOCKS_SERVER_TOKEN: TOKEN,
        THRIVE_TENANT_ID: SANDBOX_TENANT,
        THRIVE_API_KEY: SANDBOX_KEY,
        THRIVE_HOST: host,
        THRIVE_ALLOWED_HOSTS: host,
      }),
      "stderr",
      /over MCP on (http:\/\/\S+\/mcp)/,
    );
    return {
      url: server.match[1],
      stop: async () => {
        await server.stop();
        await sandbox.stop();
      },
    };
  } catch (e) {
    await sandbox.stop();
    throw e;
  }
}
