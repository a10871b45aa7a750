// The palette's nodes in Node-RED's test runtime (node-red-node-test-helper)
// against block servers started on loopback with the embedded sandbox.
"use strict";

const { test, before, after, afterEach } = require("node:test");
const assert = require("node:assert/strict");
const helper = require("node-red-node-test-helper");
const s = require("./support");
const catalogue = require("../nodes/catalogue.json");
const thriveNodes = require("../nodes/thrive-blocks.js");

helper.init(require.resolve("node-red"), { userDir: s.tmpDir("helper-userdir") });

const ONLY = process.env.THRIVE_TEST_ONLY ? new RegExp(process.env.THRIVE_TEST_ONLY) : null;
const ALL_TOOLS = catalogue.resources.flatMap((r) => r.tools.map((t) => Object.assign({ type: r.type }, t)));
const TOOLS = ALL_TOOLS;

/** A config node in external mode pointing at `serve`, with the sandbox's credentials. */
function configNode(id, serve, extra = {}) {
    return [
        Object.assign({ id, type: "thrive-config", mode: "external", url: serve.url, hostChoice: "custom", host: serve.sandbox }, extra),
        { tenantId: s.SANDBOX_TENANT, apiKey: s.SANDBOX_KEY, token: serve.token },
    ];
}

/** Fixed typedInput values for a tool node's `params`. */
function fixed(tool, input) {
    const props = tool.form.properties;
    const params = {};
    for (const [k, v] of Object.entries(input)) {
        const p = props[k] || {};
        const text = typeof v === "string" ? v : JSON.stringify(v);
        const choice = (Array.isArray(p.oneOf) && p.oneOf.every((o) => o.const !== undefined)) || Array.isArray(p.enum) || p.type === "boolean";
        params[k] = { type: choice ? "choice" : p.type === "integer" || p.type === "number" ? "num" : typeof v === "string" ? "str" : "json", value: text };
    }
    return params;
}

/** Waits for `n` messages on the helper node `id`. */
function messages(id, n, timeoutMs = 60000) {
    const node = helper.getNode(id);
    const got = [];
    return new Promise((resolve, reject) => {
        // On time-out, resolve with what came: the caller names what is missing.
        const t = setTimeout(() => resolve(got), timeoutMs);
        node.on("input", (msg) => {
            got.push(msg);
            if (got.length === n) {
                clearTimeout(t);
                resolve(got);
            }
        });
    });
}

/** Loads `flow` on one tab (config nodes stay global). */
function load(flow, credentials) {
    const onTab = flow.map((n) => (n.type === "thrive-config" ? n : Object.assign({ z: "f1" }, n)));
    onTab.unshift({ id: "f1", type: "tab", label: "test" });
    return new Promise((resolve) => helper.load(thriveNodes, onTab, credentials, resolve));
}

/** Comparable outputs: wall-clock times, the sandbox's port and fresh UUIDs vary between two fresh sandboxes. */
function comparable(value) {
    return JSON.parse(JSON.stringify(s.withoutClock(value)), (k, v) => {
        if (k === "roundTripMs") return "<ms>";
        if (typeof v !== "string") return v;
        return v.replace(/http:\/\/127\.0\.0\.1:\d+/g, "<sandbox>").replace(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, "<uuid>");
    });
}

let discovery;
before(async () => {
    discovery = await s.startServe(["--sandbox"]);
    await new Promise((resolve) => helper.startServer(resolve));
});
after(async () => {
    await discovery.stop();
    await new Promise((resolve) => helper.stopServer(resolve));
});
afterEach(async () => {
    await helper.unload();
});

test("every generated node type loads, one per resource plus the trigger and the config", async () => {
    const serve = discovery;
    const flow = [configNode("c1", serve)[0]];
    for (const r of catalogue.resources) flow.push({ id: `n-${r.type}`, type: r.type, server: "c1", operation: r.tools[0].id, params: {} });
    flow.push({ id: "trig", type: "thrive-trigger", server: "c1", trigger: "thrive_on_content_completed", filters: {} });
    await load(flow, { c1: configNode("c1", serve)[1] });
    assert.equal(catalogue.resources.length, 13);
    for (const r of catalogue.resources) {
        const n = helper.getNode(`n-${r.type}`);
        assert.ok(n, r.type);
        assert.equal(n.type, r.type);
        assert.equal(n.operation, r.tools[0].id);
    }
    assert.equal(helper.getNode("trig").type, "thrive-trigger");
    assert.equal(TOOLS.length, 53);
});

/** The describe example of every tool, its id fields filled from the seeded tenant through their dropdown source. */
async function exampleInputs() {
    const inputs = {};
    const firstOption = new Map();
    for (const tool of TOOLS) {
        const d = await s.cli(["describe", tool.id, "--json"]);
        const m = JSON.parse(d.stdout).example.match(/--params '(.*)'$/);
        const input = m ? JSON.parse(m[1]) : {};
        for (const [name, value] of Object.entries(input)) {
            const ui = tool.ui[name] || {};
            const source = (ui["ui:options"] && ui["ui:options"]["x-options"]) || (ui.items && ui.items["ui:options"] && ui.items["ui:options"]["x-options"]);
            if (!source) continue;
            const key = `${tool.id}/${name}`;
            if (!firstOption.has(key)) {
                const r = await discovery.call(`/tools/${tool.id}/options/${name}`, {});
                firstOption.set(key, r.body.options && r.body.options[0] ? r.body.options[0].value : null);
            }
            const option = firstOption.get(key);
            if (option === null) continue;
            input[name] = Array.isArray(value) ? [option] : typeof value === "string" ? option : value;
        }
        inputs[tool.id] = input;
    }
    return inputs;
}

test("every tool runs once through its node and answers what `thrive-blocks run` answers", { timeout: 300000 }, async () => {
    const inputs = await exampleInputs();
    const TOOLS = ONLY ? ALL_TOOLS.filter((t) => ONLY.test(t.id)) : ALL_TOOLS;
    // One fresh sandbox per tool on each side, so every tool starts from the same seeded tenant.
    const serves = [];
    for (let i = 0; i < TOOLS.length; i += 8) {
        serves.push(...await Promise.all(TOOLS.slice(i, i + 8).map(() => s.startServe(["--sandbox"]))));
    }
    try {
        const flow = [];
        const creds = {};
        TOOLS.forEach((tool, i) => {
            const [c, cr] = configNode(`c${i}`, serves[i]);
            flow.push(c);
            creds[`c${i}`] = cr;
            flow.push({ id: `t${i}`, type: tool.type, server: `c${i}`, operation: tool.id, params: fixed(tool, inputs[tool.id]), wires: [["out"]] });
        });
        // One Catch node for all (the test helper loads a core node once per node of its type).
        flow.push({ id: "catcher", type: "catch", scope: null, wires: [["out"]] });
        flow.push({ id: "out", type: "helper" });
        await load(flow, creds);
        const got = messages("out", TOOLS.length, 60000);
        TOOLS.forEach((tool, i) => helper.getNode(`t${i}`).receive({ payload: {}, index: i }));
        const byIndex = new Map((await got).map((m) => [m.index, m]));
        let succeeded = 0;
        const expected = [];
        for (let i = 0; i < TOOLS.length; i += 4) {
            expected.push(...await Promise.all(TOOLS.slice(i, i + 4).map((tool) =>
                s.cli(["run", tool.id, "--sandbox", "--compact", "--params", JSON.stringify(inputs[tool.id])]))));
        }
        TOOLS.forEach((tool, i) => {
            const msg = byIndex.get(i);
            assert.ok(msg, `${tool.id}: no message from its node (neither output nor Catch)`);
            const cliAnswer = expected[i];
            if (cliAnswer.code === 0) {
                succeeded += 1;
                assert.equal(msg.error, undefined, `${tool.id} failed through its node: ${msg.error && msg.error.message}`);
                assert.equal(msg.thrive.tool, tool.id);
                assert.deepEqual(comparable(msg.payload), comparable(JSON.parse(cliAnswer.stdout)), tool.id);
            } else {
                const cliError = s.cliError(cliAnswer.stderr);
                assert.ok(msg.error, `${tool.id} should have failed as run did: ${cliError.code}`);
                assert.equal(msg.error.code, cliError.code, tool.id);
                assert.deepEqual(comparable(msg.thrive.error), comparable(cliError), tool.id);
            }
        });
        // Most examples succeed against the seeded tenant; the rest fail the same way on both sides.
        if (!ONLY) assert.ok(succeeded >= 40, `only ${succeeded} of ${TOOLS.length} tools succeeded`);
    } finally {
        await Promise.all(serves.map((x) => x.stop()));
    }
});

/** Runs one tool node `tool` with `params` behind `config`; resolves with {ok, caught, statuses}. */
async function runOne({ type, operation, params, config, creds, payload, outputMode }) {
    const flow = [
        Object.assign({ id: "c1" }, config),
        { id: "t1", type, server: "c1", operation, params: params || {}, outputMode, wires: [["ok"]] },
        { id: "catcher", type: "catch", scope: ["t1"], wires: [["caught"]] },
        { id: "ok", type: "helper" },
        { id: "caught", type: "helper" },
    ];
    await load(flow, { c1: creds });
    const t1 = helper.getNode("t1");
    const statuses = [];
    const status = t1.status.bind(t1);
    t1.status = (st) => { statuses.push(st); status(st); };
    const result = new Promise((resolve) => {
        const got = { ok: [], caught: [] };
        let timer = null;
        const settle = () => { clearTimeout(timer); timer = setTimeout(() => resolve(got), 300); };
        helper.getNode("ok").on("input", (m) => { got.ok.push(m); settle(); });
        helper.getNode("caught").on("input", (m) => { got.caught.push(m); settle(); });
    });
    t1.receive({ payload: payload === undefined ? {} : payload });
    const got = await result;
    return Object.assign(got, { statuses });
}

function sandboxConfig(serve, extra = {}) {
    const [config, creds] = configNode("c1", serve);
    return { config: Object.assign(config, extra.config || {}), creds: Object.assign(creds, extra.creds || {}) };
}

test("a 207 goes out as a message with msg.thrive.partial and the failed items", async () => {
    const { config, creds } = sandboxConfig(discovery);
    const r = await runOne({
        type: "thrive-members", operation: "thrive_add_audience_members", config, creds,
        params: { audienceId: { type: "str", value: "aud-account-execs" } },
        payload: { users: ["EMP-00003", "nobody@example.com"], unrelated: "ignored" },
    });
    assert.equal(r.caught.length, 0);
    assert.equal(r.ok.length, 1);
    assert.equal(r.ok[0].thrive.partial, true);
    assert.deepEqual(r.ok[0].thrive.failed, [{ reference: "nobody@example.com", reason: "User does not exist." }]);
    assert.deepEqual(r.ok[0].payload.result.success.entities, [{ reference: "EMP-00003" }]);
    assert.deepEqual(r.statuses.at(-1), { fill: "yellow", shape: "dot", text: "partial: 1 failed" });
});

test("node-configured values win over msg.payload, and msg/env typed inputs are read", async () => {
    const { config, creds } = sandboxConfig(discovery);
    process.env.THRIVE_TEST_LAST_NAME = "Hopper";
    const r = await runOne({
        type: "thrive-users", operation: "thrive_create_user", config, creds,
        params: { ref: { type: "str", value: "NODE-001" }, lastName: { type: "env", value: "THRIVE_TEST_LAST_NAME" } },
        payload: { ref: "FROM-MSG", firstName: "Grace", email: "grace@example.com", lastName: "Ignored", tenantId: "eu-west-2_Other", apiKey: "from-msg" },
    });
    assert.equal(r.caught.length, 0, r.caught[0] && r.caught[0].error.message);
    assert.equal(r.ok[0].payload.user.ref, "NODE-001");
    assert.equal(r.ok[0].payload.user.firstName, "Grace");
    assert.equal(r.ok[0].payload.user.lastName, "Hopper");
    assert.deepEqual(r.statuses.map((x) => x.fill), ["blue", "green"]);
});

test("returnAll with one message per item", async () => {
    const { config, creds } = sandboxConfig(discovery);
    const r = await runOne({
        type: "thrive-audiences", operation: "thrive_list_audiences", config, creds, outputMode: "each",
        params: { returnAll: { type: "choice", value: "true" }, perPage: { type: "num", value: "5" } },
    });
    const all = (await discovery.call("/tools/thrive_list_audiences/run", { returnAll: true })).body.results;
    assert.ok(all.length > 5);
    assert.equal(r.ok.length, all.length);
    assert.deepEqual(r.ok.map((m) => m.payload.id), all.map((a) => a.id));
    assert.deepEqual([r.ok[0].thrive.index, r.ok[0].thrive.count], [0, all.length]);
});

for (const [name, setup, code] of [
    ["a 401 (wrong API key)", { creds: { apiKey: "wrong-key-not-the-sandbox" } }, "unauthorized"],
    ["bad input (a required field missing)", {}, "invalid_input"],
    ["a host refused (not allowed)", { config: { host: "https://thrive.attacker.example" } }, "host_not_allowed"],
]) {
    test(`${name} reaches a Catch node with the tool's error`, async () => {
        const { config, creds } = sandboxConfig(discovery, setup);
        const params = code === "invalid_input" ? { firstName: { type: "str", value: "Ada" } } : { ref: { type: "str", value: "EMP-00001" } };
        const operation = code === "invalid_input" ? "thrive_create_user" : "thrive_get_user_by_ref";
        const type = "thrive-users";
        const r = await runOne({ type, operation, params, config, creds });
        assert.equal(r.ok.length, 0);
        assert.equal(r.caught.length, 1);
        const m = r.caught[0];
        assert.equal(m.error.code, code);
        assert.equal(m.error.source.id, "t1");
        assert.equal(m.thrive.error.code, code);
        assert.equal(m.error.cause.code, code);
        assert.equal(typeof m.thrive.error.retryable, "boolean");
        assert.ok(["not_sent", "answered"].includes(m.thrive.error.delivery));
        // The same input through `thrive-blocks run` fails with the same error object.
        const input = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v.value]));
        Object.assign(input, { tenantId: s.SANDBOX_TENANT, apiKey: creds.apiKey, host: config.host });
        const cliAnswer = await s.cli(["run", operation, "--params", "-"], JSON.stringify(input), { THRIVE_ALLOWED_HOSTS: discovery.sandbox });
        const cliError = s.cliError(cliAnswer.stderr);
        assert.deepEqual(m.thrive.error, cliError);
        if (code === "invalid_input") assert.match(m.thrive.error.message + JSON.stringify(m.thrive.error.details || ""), /ref/);
        if (code === "unauthorized") assert.equal(m.thrive.error.status, 401);
        assert.deepEqual(r.statuses.at(-1), { fill: "red", shape: "ring", text: `error: ${code}` });
        s.assertNoSecret(assert, [r.caught, r.statuses], [creds.apiKey, discovery.token], "the caught message");
    });
}

test("a 429 storm shows the yellow status, then the step succeeds", { timeout: 120000 }, async () => {
    // Nine in ten Thrive calls answered 429: the block server's own retries run
    // out at least once, the node waits and calls again until one gets through.
    const sandbox = await s.startSandbox(["--rate-429", "0.9", "--retry-after", "1", "--seed", "7"]);
    const serve = await s.startServe([], { THRIVE_ALLOWED_HOSTS: sandbox.url });
    try {
        const [config, creds] = configNode("c1", serve);
        config.host = sandbox.url;
        const r = await runOne({ type: "thrive-audiences", operation: "thrive_list_audiences", config, creds, params: { perPage: { type: "num", value: "2" } } });
        assert.equal(r.caught.length, 0, r.caught[0] && r.caught[0].error.message);
        assert.equal(r.ok.length, 1);
        assert.equal(r.ok[0].payload.results.length, 2);
        const yellow = r.statuses.findIndex((x) => x.fill === "yellow");
        assert.ok(yellow > 0, JSON.stringify(r.statuses));
        assert.deepEqual(r.statuses[yellow], { fill: "yellow", shape: "ring", text: "waiting: rate limited" });
        assert.deepEqual(r.statuses.at(-1), { fill: "green", shape: "dot", text: "ok" });
        assert.ok(r.ok[0].thrive.attempts >= 2);
    } finally {
        await serve.stop();
        await sandbox.stop();
    }
});

test("managed: the connection starts its own serve, restarts it when it dies and stops it on close", { timeout: 60000 }, async () => {
    const flow = [
        { id: "c1", type: "thrive-config", mode: "sandbox", bin: s.BIN },
        { id: "t1", type: "thrive-audiences", server: "c1", operation: "thrive_list_audiences", params: { perPage: { type: "num", value: "1" } }, wires: [["ok"]] },
        { id: "catcher", type: "catch", scope: ["t1"], wires: [["ok"]] },
        { id: "ok", type: "helper" },
    ];
    await load(flow, { c1: {} });
    const config = helper.getNode("c1");
    const once = () => new Promise((resolve) => {
        helper.getNode("ok").once("input", resolve);
        helper.getNode("t1").receive({ payload: {} });
    });
    const first = await once();
    assert.equal(first.error, undefined, `first: ${first.error && first.error.message}`);
    assert.equal(first.payload.results.length, 1);
    const child = config.supervisor.child;
    const url = config.supervisor.url;
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
    const second = await once();
    assert.equal(second.error, undefined, second.error && second.error.message);
    assert.deepEqual(second.payload.results, first.payload.results);
    assert.notEqual(config.supervisor.child.pid, child.pid);
    const running = config.supervisor.child;
    await helper.unload();
    assert.notEqual(running.exitCode === null && running.signalCode === null, true, "serve still runs after close");
});

test("Test connection: the editor's placeholder for an unchanged key uses the stored one", async () => {
    const { config, creds } = sandboxConfig(discovery);
    await load([config], { c1: creds });
    const form = { id: "c1", mode: "external", url: discovery.url, token: "__PWRD__", tenantId: s.SANDBOX_TENANT, apiKey: "__PWRD__", hostChoice: "custom", host: discovery.sandbox };
    const ok = await helper.request().post("/thrive-blocks/test-connection").send(form).expect(200);
    assert.equal(ok.body.ok, true);
    assert.equal(ok.body.result.authMethod, "basic");
    const bad = await helper.request().post("/thrive-blocks/test-connection").send(Object.assign({}, form, { apiKey: "typed-but-wrong" })).expect(200);
    assert.equal(bad.body.ok, false);
    assert.equal(bad.body.result.code, "unauthorized");
    s.assertNoSecret(assert, [ok.body, bad.body], [s.SANDBOX_KEY, discovery.token, "typed-but-wrong"], "the test-connection answer");
    // Managed mode runs the binary once, the key on its standard input.
    const managed = await helper.request().post("/thrive-blocks/test-connection").send({ id: "c1", mode: "sandbox", bin: s.BIN }).expect(200);
    assert.equal(managed.body.ok, true);
});

test("dropdown options come from the tenant through the deployed connection", async () => {
    const { config, creds } = sandboxConfig(discovery);
    await load([config], { c1: creds });
    const r = await helper.request().post("/thrive-blocks/options/c1/thrive_add_audience_members/audienceId").send({ q: "Account" }).expect(200);
    assert.ok(r.body.options.some((o) => o.label === "Account Executives"), JSON.stringify(r.body));
    await helper.request().post("/thrive-blocks/options/nope/thrive_add_audience_members/audienceId").send({}).expect(404);
});

// The exported flow (GET /flows of a real Node-RED) is checked end to end in e2e.test.js.
test("no credential in messages, statuses or logs", async () => {
    const { config, creds } = sandboxConfig(discovery);
    const r = await runOne({ type: "thrive-users", operation: "thrive_get_user_by_ref", config, creds, params: { ref: { type: "str", value: "EMP-00001" } } });
    assert.equal(r.ok.length, 1);
    const logs = helper.log().args.map((a) => JSON.stringify(a));
    const secrets = [s.SANDBOX_KEY, discovery.token];
    s.assertNoSecret(assert, r.ok, secrets, "msg");
    s.assertNoSecret(assert, r.statuses, secrets, "status");
    s.assertNoSecret(assert, logs.join("\n"), secrets, "logs");
});

test("the trigger node sends the events its filters match, once each, from the server's event log", { timeout: 60000 }, async () => {
    const { config, creds } = sandboxConfig(discovery);
    const wanted = "659202fa2459dc94ea00027a";
    await load([
        config,
        { id: "trig", type: "thrive-trigger", server: "c1", trigger: "thrive_on_content_completed", filters: { contentIds: { type: "json", value: JSON.stringify([wanted]) } }, wires: [["events"]] },
        { id: "events", type: "helper" },
    ], { c1: creds });
    const got = [];
    helper.getNode("events").on("input", (m) => got.push(m));
    const users = (await discovery.call("/tools/thrive_search_users/run", { perPage: 2 })).body.results;
    for (const [user, content] of [[users[0], "659202fbc79a26f53500027b"], [users[1], wanted]]) {
        const r = await discovery.call("/tools/thrive_create_completion/run", { userId: user.id, contentId: content, completedAt: "2026-03-15T10:30:00.000Z" });
        assert.equal(r.status, 200, JSON.stringify(r.body));
    }
    const end = Date.now() + 20000;
    while (got.length < 1 && Date.now() < end) await new Promise((r) => setTimeout(r, 200));
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(got.length, 1);
    assert.equal(got[0].payload.content.id, wanted);
    assert.equal(got[0].payload.user.id, users[1].id);
    assert.equal(got[0].thrive.trigger, "thrive_on_content_completed");
    assert.equal(got[0].thrive.eventType, "content.completed");
    assert.ok(Number.isInteger(got[0].thrive.cursor));
});

test("Test connection never sends a stored key to a server URL or host that changed since the deploy", async () => {
    const { config, creds } = sandboxConfig(discovery);
    await load([config], { c1: creds });
    const form = { id: "c1", mode: "external", url: "http://127.0.0.1:9", token: "__PWRD__", tenantId: s.SANDBOX_TENANT, apiKey: "__PWRD__", hostChoice: "custom", host: discovery.sandbox };
    const r = await helper.request().post("/thrive-blocks/test-connection").send(form).expect(400);
    assert.equal(r.body.error.code, "invalid_input");
    const moved = Object.assign({}, form, { url: discovery.url, host: "https://elsewhere.example" });
    await helper.request().post("/thrive-blocks/test-connection").send(moved).expect(400);
});
