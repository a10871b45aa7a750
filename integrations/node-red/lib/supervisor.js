// Runs one `thrive-blocks serve` on 127.0.0.1 with an ephemeral port and a
// random bearer token, learns its URL from the ready line it prints on
// standard output, restarts it when it dies and stops it on close.
//
// Hand-written (not generated): `thrive-blocks export node-red` leaves it in place.
"use strict";

const { spawn } = require("node:child_process");
const crypto = require("node:crypto");
const readline = require("node:readline");

/** The binary: the node's setting, then THRIVE_BLOCKS_BIN, then `thrive-blocks` on PATH. */
function resolveBinary(configured, env = process.env) {
    if (configured && String(configured).trim()) return String(configured).trim();
    if (env.THRIVE_BLOCKS_BIN && env.THRIVE_BLOCKS_BIN.trim()) return env.THRIVE_BLOCKS_BIN.trim();
    return "thrive-blocks";
}

/** `text` with every secret in `secrets` replaced by `***`. */
function redact(text, secrets) {
    let out = String(text);
    for (const s of secrets) {
        if (s && s.length >= 4) out = out.split(s).join("***");
    }
    return out;
}

class Supervisor {
    /**
     * @param {object} opts
     * @param {string} opts.bin the binary
     * @param {string[]} opts.args arguments after `serve` (the bind is added)
     * @param {object} opts.env extra environment (credentials go here, never in argv)
     * @param {string[]} opts.secrets values to redact from anything logged
     * @param {(level: string, text: string) => void} opts.log
     * @param {(state: string) => void} [opts.onState] "starting" | "ready" | "restarting" | "failed"
     */
    constructor(opts) {
        this.bin = opts.bin;
        this.args = opts.args || [];
        this.token = crypto.randomBytes(24).toString("hex");
        this.env = Object.assign({}, process.env, opts.env || {}, {
            THRIVE_BLOCKS_SERVER_TOKEN: this.token,
        });
        this.secrets = (opts.secrets || []).concat([this.token]);
        this.log = opts.log || (() => {});
        this.onState = opts.onState || (() => {});
        this.child = null;
        this.url = null;
        this.stopping = false;
        this.restarts = 0;
        this.failures = 0;
        this.waiters = [];
        this.lastError = null;
        this.timer = null;
    }

    /** Starts the server (and keeps it running until `stop`). */
    start() {
        this.stopping = false;
        this._spawn();
    }

    _spawn() {
        this.url = null;
        this.onState("starting");
        const args = ["serve", "--bind", "127.0.0.1:0", ...this.args];
        let child;
        try {
            child = spawn(this.bin, args, { env: this.env, stdio: ["ignore", "pipe", "pipe"] });
        } catch (e) {
            this._died(`could not start ${this.bin}: ${e.message}`);
            return;
        }
        this.child = child;
        const tail = [];
        child.on("error", (e) => {
            const why = e.code === "ENOENT"
                ? `${this.bin} was not found: install thrive-blocks (see the package README) or set THRIVE_BLOCKS_BIN or the connection's Binary field`
                : `could not start ${this.bin}: ${e.message}`;
            this.lastError = why;
        });
        readline.createInterface({ input: child.stdout }).on("line", (line) => {
            let ready;
            try { ready = JSON.parse(line); } catch (_) { return; }
            if (ready && ready.ready === true && typeof ready.url === "string") {
                this.url = ready.url;
                this.failures = 0;
                this.lastError = null;
                this.onState("ready");
                const waiters = this.waiters;
                this.waiters = [];
                for (const w of waiters) w.resolve(this.url);
            }
        });
        readline.createInterface({ input: child.stderr }).on("line", (line) => {
            const clean = redact(line, this.secrets);
            tail.push(clean);
            if (tail.length > 20) tail.shift();
            if (/\b(ERROR|WARN)\b/.test(clean)) this.log("warn", clean);
        });
        child.on("exit", (code, signal) => {
            if (this.child === child) this.child = null;
            this.url = null;
            if (this.stopping) return;
            const why = this.lastError
                || `thrive-blocks serve exited (${signal || code})${tail.length ? ": " + tail.slice(-3).join(" | ") : ""}`;
            this._died(why);
        });
    }

    _died(why) {
        this.lastError = why;
        this.failures += 1;
        this.restarts += 1;
        this.log("error", why);
        this.onState("restarting");
        const waiters = this.waiters;
        this.waiters = [];
        for (const w of waiters) w.reject(new Error(why));
        if (this.stopping) return;
        const delay = Math.min(30000, 500 * 2 ** Math.min(this.failures - 1, 6));
        this.timer = setTimeout(() => {
            this.timer = null;
            if (!this.stopping) this._spawn();
        }, delay);
    }

    /** The server's URL once it is ready (waits up to `timeoutMs`). */
    ready(timeoutMs = 20000) {
        if (this.url) return Promise.resolve(this.url);
        return new Promise((resolve, reject) => {
            const w = { resolve, reject };
            const t = setTimeout(() => {
                this.waiters = this.waiters.filter((x) => x !== w);
                reject(new Error(this.lastError || "thrive-blocks serve did not become ready in time"));
            }, timeoutMs);
            w.resolve = (v) => { clearTimeout(t); resolve(v); };
            w.reject = (e) => { clearTimeout(t); reject(e); };
            this.waiters.push(w);
        });
    }

    /** Stops the server: SIGTERM, then SIGKILL after `graceMs`. */
    stop(graceMs = 5000) {
        this.stopping = true;
        if (this.timer) { clearTimeout(this.timer); this.timer = null; }
        const child = this.child;
        const waiters = this.waiters;
        this.waiters = [];
        for (const w of waiters) w.reject(new Error("the connection was closed"));
        if (!child || child.exitCode !== null) return Promise.resolve();
        return new Promise((resolve) => {
            const kill = setTimeout(() => { try { child.kill("SIGKILL"); } catch (_) { /* gone */ } }, graceMs);
            child.once("exit", () => { clearTimeout(kill); resolve(); });
            try { child.kill("SIGTERM"); } catch (_) { resolve(); }
        });
    }
}

module.exports = { Supervisor, resolveBinary, redact };
