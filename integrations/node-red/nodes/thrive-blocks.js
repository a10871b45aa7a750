// The runtime of the Thrive palette: the config node (a managed or external
// `thrive-blocks serve`), one tool node per resource and the trigger node.
// The node types and their operations come from the generated
// `catalogue.json` (`thrive-blocks export node-red`); this file is
// hand-written and holds no per-tool code.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const { spawn } = require("node:child_process");
const { Supervisor, resolveBinary, redact } = require("../lib/supervisor");

const catalogue = require("./catalogue.json");

/** The connection inputs: only the config node sets them, never msg. */
const CONNECTION_KEYS = ["tenantId", "apiKey", "host", "clientId", "scope"];
/** The editor's stand-in for a password it did not change. */
const UNCHANGED_PASSWORD = "__PWRD__";
/** How often one step waits out the tenant's rate limit before failing. */
const MAX_RATE_LIMIT_WAITS = 8;

const toolsById = new Map();
for (const r of catalogue.resources) for (const t of r.tools) toolsById.set(t.id, Object.assign({ type: r.type }, t));
const triggersById = new Map(catalogue.triggers.map((t) => [t.id, t]));

function sleep(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A multiple-choice typedInput's value ("a,b") as a list, or undefined when empty. */
function splitChoices(raw) {
    const list = String(raw).split(",").map((s) => s.trim()).filter(Boolean);
    return list.length ? list : undefined;
}

function isPlainObject(v) {
    return v !== null && typeof v === "object" && !Array.isArray(v) && !Buffer.isBuffer(v);
}

/** A step's failure as an Error a Catch node receives: `msg.error.code`, and the tool's error object as `cause`. */
function stepError(toolError) {
    const err = new Error(`${toolError.code}: ${toolError.message}`);
    err.code = toolError.code;
    err.cause = toolError;
    return err;
}

/** Writes `text` to `file` so that a crash leaves either the old or the new contents. */
function writeDurably(file, text) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    const fd = fs.openSync(tmp, "w");
    try {
        fs.writeSync(fd, text);
        fs.fsyncSync(fd);
    } finally {
        fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
}

module.exports = function (RED) {
    const userDir = (RED.settings && RED.settings.userDir) || process.cwd();
    const dataDir = path.join(userDir, "thrive-blocks");

    // Messages a trigger node waits for: acknowledged once a node received them.
    const awaitingReceipt = new Map();
    if (RED.hooks && RED.hooks.add) {
        RED.hooks.add("postReceive.thriveBlocks", (event) => {
            const id = event && event.msg && event.msg._msgid;
            const resolve = id && awaitingReceipt.get(id);
            if (resolve) {
                awaitingReceipt.delete(id);
                resolve();
            }
        });
    }

    // ---------------------------------------------------------------- config
    function ThriveConfigNode(config) {
        RED.nodes.createNode(this, config);
        const node = this;
        node.name = config.name;
        node.mode = config.mode || "managed";
        node.host = (config.hostChoice === "custom" ? config.host : config.hostChoice) || "";
        node.url = (config.url || "").replace(/\/+$/, "");
        node.bin = resolveBinary(config.bin || (RED.settings && RED.settings.thriveBlocksBin));
        const creds = node.credentials || {};
        node.secrets = [creds.apiKey, creds.token, creds.webhookSecret].filter(Boolean);

        /** The connection inputs a request carries (external mode with a tenant only). */
        node.connection = function () {
            if (node.mode !== "external" || !creds.tenantId) return {};
            const c = { tenantId: creds.tenantId, apiKey: creds.apiKey };
            if (node.host) c.host = node.host;
            if (creds.clientId) c.clientId = creds.clientId;
            if (creds.scope) c.scope = creds.scope;
            return c;
        };

        if (node.mode === "managed" || node.mode === "sandbox") {
            const args = [];
            const env = {};
            if (node.mode === "sandbox") {
                args.push("--sandbox");
            } else {
                if (creds.tenantId) {
                    env.THRIVE_TENANT_ID = creds.tenantId;
                    args.push("--webhook-tenant", creds.tenantId);
                }
                if (creds.apiKey) env.THRIVE_API_KEY = creds.apiKey;
                if (node.host) env.THRIVE_HOST = node.host;
                if (creds.clientId) env.THRIVE_CLIENT_ID = creds.clientId;
                if (creds.scope) env.THRIVE_SCOPE = creds.scope;
                if (creds.webhookSecret) env.THRIVE_WEBHOOK_SECRET = creds.webhookSecret;
            }
            args.push("--store", path.join(dataDir, `events-${node.id.replace(/[^A-Za-z0-9_.-]/g, "_")}.db`));
            // Polling triggers of this connection run inside the server.
            let interval = null;
            RED.nodes.eachNode((n) => {
                if (n.type !== "thrive-trigger" || n.server !== node.id || n.d) return;
                const t = triggersById.get(n.trigger);
                if (!t || !t.source || t.source.kind !== "polling") return;
                const filters = filterValues(n.filters);
                args.push("--poll", `${t.id}=${JSON.stringify(filters)}`);
                const secs = Number(n.interval) > 0 ? Number(n.interval) : 60;
                interval = interval === null ? secs : Math.min(interval, secs);
            });
            if (interval !== null) args.push("--poll-interval", String(interval));
            fs.mkdirSync(dataDir, { recursive: true });
            node.supervisor = new Supervisor({
                bin: node.bin,
                args,
                env,
                secrets: node.secrets,
                log: (level, text) => (level === "error" ? node.error(text) : node.warn(text)),
            });
            node.secrets.push(node.supervisor.token);
            node.supervisor.start();
        }

        /** The server's base URL and token, once it is ready. */
        node.endpoint = async function () {
            if (node.supervisor) {
                const url = await node.supervisor.ready();
                return { url, token: node.supervisor.token };
            }
            if (!node.url) throw new Error("the connection has no server URL (mode external)");
            return { url: node.url, token: creds.token || "" };
        };

        /**
         * One request to the block server: `{status, headers, body}`; a server
         * that cannot be reached is answered as the tool error `unavailable`.
         */
        node.request = async function (method, route, body, timeoutMs = 330000) {
            const first = await node.requestOnce(method, route, body, timeoutMs);
            // A managed server that just died is being restarted: nothing was
            // sent, so the request waits for the new one and goes once more.
            if (node.supervisor && first.refused && !node.supervisor.stopping) {
                await sleep(200);
                return node.requestOnce(method, route, body, timeoutMs);
            }
            return first;
        };

        node.requestOnce = async function (method, route, body, timeoutMs) {
            let endpoint;
            try {
                endpoint = await node.endpoint();
            } catch (e) {
                return { status: 503, headers: new Headers(), body: { error: { code: "unavailable", message: redact(e.message, node.secrets), retryable: true, delivery: "not_sent" } } };
            }
            const headers = { accept: "application/json" };
            if (endpoint.token) headers.authorization = `Bearer ${endpoint.token}`;
            if (body !== undefined) headers["content-type"] = "application/json";
            try {
                const res = await fetch(endpoint.url + route, {
                    method,
                    headers,
                    body: body === undefined ? undefined : JSON.stringify(body),
                    signal: AbortSignal.timeout(timeoutMs),
                });
                const text = await res.text();
                let parsed;
                try { parsed = text ? JSON.parse(text) : null; } catch (_) { parsed = { error: { code: "invalid_response", message: `the block server answered ${res.status} with a body that is not JSON`, retryable: false, delivery: "answered" } }; }
                return { status: res.status, headers: res.headers, body: parsed };
            } catch (e) {
                const timedOut = e && e.name === "TimeoutError";
                return {
                    refused: !timedOut && e && e.cause && e.cause.code === "ECONNREFUSED",
                    status: 503,
                    headers: new Headers(),
                    body: { error: { code: timedOut ? "timeout" : "unavailable", message: `the block server could not be reached: ${redact(e.message, node.secrets)}`, retryable: !timedOut, delivery: timedOut ? "sent_no_answer" : "not_sent" } },
                };
            }
        };

        node.on("close", function (removed, done) {
            if (!node.supervisor) return done();
            node.supervisor.stop().then(() => done(), () => done());
        });
    }
    RED.nodes.registerType("thrive-config", ThriveConfigNode, {
        credentials: {
            tenantId: { type: "text" },
            apiKey: { type: "password" },
            clientId: { type: "text" },
            scope: { type: "text" },
            token: { type: "password" },
            webhookSecret: { type: "password" },
        },
    });

    // ----------------------------------------------------- editor's routes
    const needsRead = RED.auth.needsPermission("thrive-config.read");
    const needsWrite = RED.auth.needsPermission("thrive-config.write");

    // Test connection: the form's values, with the stored secret where the
    // editor sent its placeholder for an unchanged password.
    RED.httpAdmin.post("/thrive-blocks/test-connection", needsWrite, async (req, res) => {
        const b = req.body || {};
        const stored = (b.id && RED.nodes.getCredentials(b.id)) || {};
        const secret = (v, name) => (v === UNCHANGED_PASSWORD ? stored[name] : v) || "";
        const input = {};
        if (b.tenantId) input.tenantId = String(b.tenantId);
        const apiKey = secret(b.apiKey, "apiKey");
        if (apiKey) input.apiKey = apiKey;
        const host = b.hostChoice === "custom" ? b.host : b.hostChoice;
        if (host) input.host = String(host);
        if (b.clientId) input.clientId = String(b.clientId);
        if (b.scope) input.scope = String(b.scope);
        const mode = b.mode || "managed";
        const secrets = [apiKey, secret(b.token, "token")];
        // A stored secret is only sent where the deployed connection sends it:
        // a changed server URL or host needs the key typed again.
        const usesStored = b.apiKey === UNCHANGED_PASSWORD || b.token === UNCHANGED_PASSWORD;
        const deployed = b.id && RED.nodes.getNode(b.id);
        const url = String(b.url || "").replace(/\/+$/, "");
        if (usesStored && (!deployed || (mode === "external" && url !== deployed.url) || (host || "") !== (deployed.host || ""))) {
            return res.status(400).json({ ok: false, error: { code: "invalid_input", message: "the server URL or host changed since the last deploy: type the API key and token again to test" } });
        }
        try {
            let answer;
            if (mode === "external") {
                if (!/^https?:\/\//.test(url)) {
                    return res.status(400).json({ ok: false, error: { code: "invalid_input", message: "give the server URL (http://host:port)" } });
                }
                const headers = { "content-type": "application/json" };
                const token = secret(b.token, "token");
                if (token) headers.authorization = `Bearer ${token}`;
                const r = await fetch(`${url}/tools/thrive_test_connection/run`, { method: "POST", headers, body: JSON.stringify(input), signal: AbortSignal.timeout(60000) });
                answer = await r.json();
            } else {
                answer = await runOnce(resolveBinary(b.bin || (RED.settings && RED.settings.thriveBlocksBin)), "thrive_test_connection", input, mode === "sandbox");
            }
            if (answer && answer.error) return res.json({ ok: false, error: answer.error });
            return res.json({ ok: answer && answer.ok !== false, result: answer });
        } catch (e) {
            return res.json({ ok: false, error: { code: "unavailable", message: redact(e.message, secrets) } });
        }
    });

    // A dropdown's options from the tenant, through the deployed connection.
    RED.httpAdmin.post("/thrive-blocks/options/:config/:tool/:field", needsRead, async (req, res) => {
        const config = RED.nodes.getNode(req.params.config);
        if (!config || config.type !== "thrive-config") {
            return res.status(404).json({ error: { code: "not_found", message: "deploy the Thrive connection first: its server fills the dropdowns" } });
        }
        const b = req.body || {};
        const body = Object.assign({}, config.connection(), { q: String(b.q || "") });
        if (b.page) body.page = Number(b.page);
        const r = await config.request("POST", `/tools/${encodeURIComponent(req.params.tool)}/options/${encodeURIComponent(req.params.field)}`, body, 30000);
        res.status(r.status).json(r.body);
    });

    // The webhook URL Thrive's team is given, through Node-RED's own HTTP
    // port; the raw body and signature are handed to the block server's
    // verified, deduplicated receiver.
    if (RED.httpNode) {
        captureWebhookBodies(RED);
        RED.httpNode.post("/thrive-blocks/webhooks/:config/:subscription", async (req, res) => {
            const config = RED.nodes.getNode(req.params.config);
            if (!config || config.type !== "thrive-config") return res.status(404).json({ error: { code: "not_found", message: "no such Thrive connection" } });
            let raw;
            try { raw = await rawBody(req); } catch (e) { return res.status(400).json({ error: { code: "invalid_input", message: e.message } }); }
            let endpoint;
            try { endpoint = await config.endpoint(); } catch (e) { return res.status(503).json({ error: { code: "unavailable", message: "the block server is not running" } }); }
            const headers = { "content-type": "application/json" };
            const sig = req.headers["x-hmac-signature"];
            if (sig) headers["x-hmac-signature"] = String(sig);
            try {
                const r = await fetch(`${endpoint.url}/webhooks/thrive/${encodeURIComponent(req.params.subscription)}`, { method: "POST", headers, body: raw, signal: AbortSignal.timeout(30000) });
                res.status(r.status).type("application/json").send(await r.text());
            } catch (e) {
                res.status(503).json({ error: { code: "unavailable", message: "the block server could not be reached" } });
            }
        });
    }

    // ------------------------------------------------------------ tool nodes
    function ToolNode(config) {
        RED.nodes.createNode(this, config);
        const node = this;
        node.server = RED.nodes.getNode(config.server);
        node.operation = config.operation;
        node.params = isPlainObject(config.params) ? config.params : {};
        node.outputMode = config.outputMode === "each" ? "each" : "one";
        const tool = toolsById.get(node.operation);
        if (!tool || tool.type !== config.type) {
            node.status({ fill: "red", shape: "ring", text: "choose an operation" });
        } else if (!node.server) {
            node.status({ fill: "red", shape: "ring", text: "no connection" });
        }

        node.on("input", async (msg, send, done) => {
            if (!tool || tool.type !== config.type) return done(stepError({ code: "unknown_tool", message: `${config.type} has no operation ${JSON.stringify(node.operation)}`, retryable: false, delivery: "not_sent" }));
            if (!node.server) return done(stepError({ code: "invalid_input", message: "the node has no Thrive connection", retryable: false, delivery: "not_sent" }));
            let input;
            try {
                input = await inputsOf(node, tool, msg);
            } catch (e) {
                node.status({ fill: "red", shape: "ring", text: "error: invalid_input" });
                msg.thrive = { tool: tool.id, error: { code: "invalid_input", message: e.message, retryable: false, delivery: "not_sent" } };
                return done(stepError(msg.thrive.error));
            }
            const body = Object.assign({}, input, node.server.connection());
            let attempts = 0;
            let waits = 0;
            for (;;) {
                attempts += 1;
                node.status({ fill: "blue", shape: "dot", text: "calling" });
                const r = await node.server.request("POST", `/tools/${tool.id}/run`, body);
                const failure = r.body && r.body.error;
                if (r.status === 200 && !failure) {
                    deliver(node, tool, msg, r.body, attempts, send);
                    return done();
                }
                const error = failure || { code: "invalid_response", message: `the block server answered ${r.status}`, retryable: false, delivery: "answered" };
                if (error.code === "rate_limited" && error.retryable !== false && waits < MAX_RATE_LIMIT_WAITS) {
                    waits += 1;
                    const after = Number(r.headers.get("retry-after"));
                    const secs = Number.isFinite(after) && after > 0 ? Math.min(after, 60) : 1;
                    node.status({ fill: "yellow", shape: "ring", text: "waiting: rate limited" });
                    await sleep(secs * 1000);
                    continue;
                }
                node.status({ fill: "red", shape: "ring", text: `error: ${error.code}` });
                msg.thrive = { tool: tool.id, partial: false, attempts, error };
                return done(stepError(error));
            }
        });
    }

    /** The tool's inputs: msg.payload's known fields, then the node's fields (which win). */
    async function inputsOf(node, tool, msg) {
        const props = (tool.form && tool.form.properties) || {};
        const input = {};
        if (isPlainObject(msg.payload)) {
            for (const k of Object.keys(props)) {
                if (msg.payload[k] !== undefined && msg.payload[k] !== null) input[k] = msg.payload[k];
            }
        }
        for (const [name, field] of Object.entries(node.params)) {
            if (!props[name] || !isPlainObject(field)) continue;
            const value = await evaluate(node, field, msg, name);
            if (value !== undefined) input[name] = value;
        }
        return input;
    }

    /** One typedInput's value, or undefined when it is left empty. */
    function evaluate(node, field, msg, name) {
        const type = field.type || "str";
        const raw = field.value === undefined || field.value === null ? "" : String(field.value);
        if (type === "choice") return Promise.resolve(raw === "" ? undefined : raw);
        if (type === "choices") return Promise.resolve(splitChoices(raw));
        if (raw === "" && ["str", "num", "json", "bool"].includes(type)) return Promise.resolve(undefined);
        return new Promise((resolve, reject) => {
            RED.util.evaluateNodeProperty(raw, type, node, msg, (err, value) => {
                if (err) return reject(new Error(`${name}: ${err.message}`));
                resolve(value === null ? undefined : value);
            });
        });
    }

    /** Sends the tool's output: one message, or one per item on request. */
    function deliver(node, tool, msg, output, attempts, send) {
        const partial = isPlainObject(output) && output.partial === true;
        const thrive = { tool: tool.id, partial, attempts, pages: pagesOf(output) };
        if (partial) thrive.failed = failedItems(output);
        node.status(partial
            ? { fill: "yellow", shape: "dot", text: `partial: ${thrive.failed.length} failed` }
            : { fill: "green", shape: "dot", text: "ok" });
        const items = Array.isArray(output) ? output : isPlainObject(output) && Array.isArray(output.results) ? output.results : null;
        if (node.outputMode === "each" && tool.paginated && items) {
            const messages = items.map((item, index) => {
                const m = RED.util.cloneMessage(msg);
                m.payload = item;
                m.thrive = Object.assign({}, thrive, { index, count: items.length });
                return m;
            });
            send([messages]);
            return;
        }
        msg.payload = output;
        msg.thrive = thrive;
        send(msg);
    }

    function pagesOf(output) {
        const p = isPlainObject(output) && output.pagination;
        if (!isPlainObject(p)) return null;
        return p.totalPages !== undefined ? p.totalPages : p.pages !== undefined ? p.pages : null;
    }

    /** The items Thrive did not take in a 207, with why. */
    function failedItems(output) {
        const r = output.result || output;
        const f = (r && r.failure) || (r && r.failed) || null;
        if (f && Array.isArray(f.entities)) return f.entities;
        if (Array.isArray(f)) return f;
        return [];
    }

    for (const r of catalogue.resources) {
        RED.nodes.registerType(r.type, ToolNode);
    }

    // ---------------------------------------------------------- trigger node
    function filterValues(filters) {
        const out = {};
        if (!isPlainObject(filters)) return out;
        for (const [k, v] of Object.entries(filters)) {
            const value = isPlainObject(v) ? v.value : v;
            if (value === undefined || value === null || value === "") continue;
            if (isPlainObject(v) && v.type === "choices") {
                const list = splitChoices(String(value));
                if (list) out[k] = list;
                continue;
            }
            if (isPlainObject(v) && v.type === "num") {
                out[k] = Number(value);
                continue;
            }
            if (typeof value === "string" && /^\s*[[{]/.test(value)) {
                try { out[k] = JSON.parse(value); continue; } catch (_) { /* kept as text */ }
            }
            out[k] = value;
        }
        return out;
    }

    function TriggerNode(config) {
        RED.nodes.createNode(this, config);
        const node = this;
        node.server = RED.nodes.getNode(config.server);
        const trigger = triggersById.get(config.trigger);
        const filters = filterValues(config.filters);
        const cursorFile = path.join(dataDir, "cursors", `${node.id.replace(/[^A-Za-z0-9_.-]/g, "_")}.json`);
        let stopped = false;
        if (!trigger) {
            node.status({ fill: "red", shape: "ring", text: "choose a trigger" });
            return;
        }
        if (!node.server) {
            node.status({ fill: "red", shape: "ring", text: "no connection" });
            return;
        }

        function readCursor() {
            try {
                const saved = JSON.parse(fs.readFileSync(cursorFile, "utf8"));
                if (saved.trigger === trigger.id && Number.isInteger(saved.cursor)) return saved.cursor;
            } catch (_) { /* none yet: from the start of the store */ }
            return 0;
        }
        function ack(cursor) {
            writeDurably(cursorFile, JSON.stringify({ trigger: trigger.id, cursor }));
        }
        /** Sends `msg` and resolves once a wired node has received it. */
        function sendAndWait(msg) {
            const wired = (node.wires || []).some((w) => w && w.length);
            msg._msgid = msg._msgid || RED.util.generateId();
            if (!wired) {
                node.send(msg);
                return Promise.resolve();
            }
            return new Promise((resolve) => {
                awaitingReceipt.set(msg._msgid, resolve);
                node.send(msg);
            });
        }

        (async () => {
            let cursor = readCursor();
            let failures = 0;
            node.status({ fill: "grey", shape: "ring", text: "waiting for events" });
            while (!stopped) {
                const query = new URLSearchParams({ after: String(cursor), wait: "25", limit: "100", trigger: trigger.id });
                if (Object.keys(filters).length) query.set("filters", JSON.stringify(filters));
                const r = await node.server.request("GET", `/events?${query}`, undefined, 40000);
                if (stopped) return;
                if (r.status !== 200 || !r.body || !Array.isArray(r.body.events)) {
                    failures += 1;
                    const error = (r.body && r.body.error) || { code: "unavailable", message: `GET /events answered ${r.status}` };
                    node.status({ fill: "red", shape: "ring", text: `error: ${error.code}` });
                    if (failures === 1) node.error(`thrive-trigger: ${error.code}: ${error.message}`);
                    await sleep(Math.min(30000, 1000 * failures));
                    continue;
                }
                failures = 0;
                for (const event of r.body.events) {
                    if (stopped) return;
                    await sendAndWait({
                        payload: event.payload,
                        thrive: { trigger: event.trigger, eventType: event.eventType, cursor: event.cursor, receivedAt: event.receivedAt, tenantId: event.tenantId, source: event.source },
                    });
                    cursor = event.cursor;
                    ack(cursor);
                    node.status({ fill: "green", shape: "dot", text: `event ${cursor}` });
                }
                if (Number.isInteger(r.body.next) && r.body.next > cursor) {
                    cursor = r.body.next;
                    ack(cursor);
                }
            }
        })().catch((e) => node.error(`thrive-trigger stopped: ${e.message}`));

        node.on("close", (done) => {
            stopped = true;
            done();
        });
    }
    RED.nodes.registerType("thrive-trigger", TriggerNode);

    /** Runs one tool once through `thrive-blocks run`, the input on standard input. */
    function runOnce(bin, tool, input, sandbox) {
        return new Promise((resolve, reject) => {
            const args = ["run", tool, "--params", "-", "--compact"];
            if (sandbox) args.push("--sandbox");
            const child = spawn(bin, args, { stdio: ["pipe", "pipe", "pipe"] });
            let out = "";
            let err = "";
            const timer = setTimeout(() => child.kill("SIGKILL"), 60000);
            child.on("error", (e) => { clearTimeout(timer); reject(new Error(e.code === "ENOENT" ? `${bin} was not found (set THRIVE_BLOCKS_BIN)` : e.message)); });
            child.stdout.on("data", (d) => { out += d; });
            child.stderr.on("data", (d) => { err += d; });
            child.on("close", () => {
                clearTimeout(timer);
                const lastJson = (text) => {
                    const lines = text.trim().split("\n").reverse();
                    for (const l of lines) { try { return JSON.parse(l); } catch (_) { /* next */ } }
                    return null;
                };
                const answer = lastJson(out) || lastJson(err);
                if (answer) resolve(answer);
                else reject(new Error("thrive-blocks run gave no answer"));
            });
            child.stdin.end(JSON.stringify(input));
        });
    }

    /**
     * Keeps the exact bytes of webhook bodies: with the editor and the HTTP
     * nodes on the same root, the editor's JSON parser would otherwise read
     * them first. A middleware at the top of the root app's stack (as
     * Node-RED's own HTTP-in node does for its raw-body routes) reads the
     * body of `POST …/thrive-blocks/webhooks/…` into a Buffer.
     */
    function captureWebhookBodies(RED) {
        let root = RED.httpNode;
        while (root && root.parent) root = root.parent;
        if (!root || typeof root.use !== "function" || !root._router) return;
        const capture = (req, _res, next) => {
            if (req.method !== "POST" || req._body || !/\/thrive-blocks\/webhooks\//.test(req.path || req.url)) return next();
            rawBody(req).then((buf) => {
                req.body = buf;
                req._body = true;
                req.skipRawBodyParser = true;
                next();
            }, next);
        };
        root.use(capture);
        const stack = root._router.stack;
        const i = stack.findIndex((layer) => layer && layer.handle === capture);
        if (i > 0) stack.unshift(stack.splice(i, 1)[0]);
    }

    /** The request's raw bytes (the HMAC covers them exactly). */
    function rawBody(req) {
        if (Buffer.isBuffer(req.body)) return Promise.resolve(req.body);
        if (req.readableEnded || req.complete && req._body) {
            if (typeof req.body === "string") return Promise.resolve(Buffer.from(req.body));
            return Promise.reject(new Error("the body was already parsed; its exact bytes are gone"));
        }
        return new Promise((resolve, reject) => {
            const chunks = [];
            let size = 0;
            req.on("data", (c) => {
                size += c.length;
                if (size > 1024 * 1024) { reject(new Error("body too large")); req.destroy(); return; }
                chunks.push(c);
            });
            req.on("end", () => resolve(Buffer.concat(chunks)));
            req.on("error", reject);
        });
    }
};
