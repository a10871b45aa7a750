// Shared test support: the binaries, block servers and sandboxes the tests
// start on loopback, and the checks for leaked secrets.
"use strict";

const { spawn, execFile } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const readline = require("node:readline");

const ROOT = path.resolve(__dirname, "..", "..", "..");
const BIN = process.env.THRIVE_BLOCKS_BIN || path.join(ROOT, "target", "debug", "thrive-blocks");
const SANDBOX_BIN = process.env.THRIVE_SANDBOX_BIN || path.join(ROOT, "target", "debug", "thrive-sandbox");
const OUT = process.env.NODE_RED_TEST_OUT || path.join(ROOT, "target", "node-red-test");
const SANDBOX_TENANT = "eu-west-2_SandboxDemo";
const SANDBOX_KEY = "sandbox-api-key";

fs.mkdirSync(OUT, { recursive: true });

/** A fresh temporary folder under the test output. */
function tmpDir(name) {
    fs.mkdirSync(path.join(OUT, "tmp"), { recursive: true });
    return fs.mkdtempSync(path.join(OUT, "tmp", `${name}-`));
}

/** Reads lines of `stream` until `match(line)` returns something, or the process ends. */
function waitForLine(child, stream, match, what, timeoutMs = 30000) {
    return new Promise((resolve, reject) => {
        const lines = [];
        const timer = setTimeout(() => reject(new Error(`${what} did not become ready: ${lines.slice(-5).join(" | ")}`)), timeoutMs);
        const rl = readline.createInterface({ input: stream });
        rl.on("line", (line) => {
            lines.push(line);
            const got = match(line);
            if (got) {
                clearTimeout(timer);
                resolve(got);
            }
        });
        child.once("exit", (code) => {
            clearTimeout(timer);
            reject(new Error(`${what} exited with ${code}: ${lines.slice(-5).join(" | ")}`));
        });
    });
}

/**
 * Starts `thrive-blocks serve --bind 127.0.0.1:0 ARGS` with a random token
 * and resolves with `{url, token, sandbox, ready, stop()}` from its ready line.
 */
async function startServe(args = [], env = {}) {
    const token = `test-token-${Math.random().toString(36).slice(2)}`;
    const child = spawn(BIN, ["serve", "--bind", "127.0.0.1:0", ...args], {
        env: Object.assign({}, process.env, { THRIVE_BLOCKS_SERVER_TOKEN: token, RUST_LOG: "warn" }, env),
        stdio: ["ignore", "pipe", "pipe"],
    });
    const stderr = [];
    readline.createInterface({ input: child.stderr }).on("line", (l) => stderr.push(l));
    const ready = await waitForLine(child, child.stdout, (line) => {
        try {
            const j = JSON.parse(line);
            return j.ready ? j : null;
        } catch (_) {
            return null;
        }
    }, "thrive-blocks serve");
    return {
        url: ready.url,
        token,
        sandbox: ready.sandbox,
        ready,
        stderr,
        async call(route, body) {
            const res = await fetch(ready.url + route, {
                method: body === undefined ? "GET" : "POST",
                headers: Object.assign({ authorization: `Bearer ${token}` }, body === undefined ? {} : { "content-type": "application/json" }),
                body: body === undefined ? undefined : JSON.stringify(body),
            });
            return { status: res.status, body: await res.json() };
        },
        stop() {
            return new Promise((resolve) => {
                if (child.exitCode !== null) return resolve();
                child.once("exit", () => resolve());
                child.kill("SIGTERM");
            });
        },
    };
}

/** Starts the standalone sandbox with `args` (e.g. fault switches); resolves with its base URL. */
async function startSandbox(args = []) {
    const child = spawn(SANDBOX_BIN, ["--port", "0", ...args], { stdio: ["ignore", "pipe", "pipe"] });
    const url = await waitForLine(child, child.stdout, (line) => {
        const m = line.match(/(http:\/\/127\.0\.0\.1:\d+)/);
        return m ? m[1] : null;
    }, "thrive-sandbox");
    return {
        url,
        stop() {
            return new Promise((resolve) => {
                if (child.exitCode !== null) return resolve();
                child.once("exit", () => resolve());
                child.kill("SIGTERM");
            });
        },
    };
}

/** `thrive-blocks ARGS` with `stdin`; resolves with {code, stdout, stderr}. */
function cli(args, stdin, env = {}) {
    return new Promise((resolve) => {
        const child = execFile(BIN, args, { env: Object.assign({}, process.env, env), maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
            resolve({ code: err ? err.code : 0, stdout, stderr });
        });
        if (stdin !== undefined) child.stdin.end(stdin);
    });
}

/** The `{"error": {...}}` object `thrive-blocks run` printed on stderr. */
function cliError(stderr) {
    const m = String(stderr).match(/^\{[\s\S]*^\}/m);
    if (!m) throw new Error(`no error object in: ${stderr}`);
    return JSON.parse(m[0]).error;
}

/** Every place a secret could leak, as one text: messages, statuses, logs, exported flows. */
function assertNoSecret(assert, haystack, secrets, where) {
    const text = typeof haystack === "string" ? haystack : JSON.stringify(haystack);
    for (const s of secrets) {
        assert.ok(!text.includes(s), `${where} contains a secret (${s.slice(0, 3)}…)`);
    }
}

/**
 * Wall-clock instants made comparable: two fresh sandboxes started a moment
 * apart stamp "now" differently, so ISO timestamps become "<time>".
 */
function withoutClock(value) {
    return JSON.parse(JSON.stringify(value), (_k, v) =>
        typeof v === "string" && /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(v) ? "<time>" : v);
}

module.exports = {
    ROOT, BIN, SANDBOX_BIN, OUT, SANDBOX_TENANT, SANDBOX_KEY,
    tmpDir, startServe, cliError, startSandbox, cli, assertNoSecret, withoutClock, waitForLine,
};
