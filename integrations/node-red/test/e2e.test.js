// End to end in a real Node-RED (`node-red -u DIR -p PORT` on 127.0.0.1)
// with the package installed: the example flows deployed through the admin
// API against `thrive-blocks serve --sandbox`, fired by their inject nodes,
// the sandbox's state checked afterwards; a completion's webhook reaches
// the flow exactly once, across a Node-RED restart too; a screenshot of the
// editor with a tool node's edit dialog open.
"use strict";

const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const { spawn } = require("node:child_process");
const fs = require("node:fs");
const http = require("node:http");
const net = require("node:net");
const path = require("node:path");
const s = require("./support");

const PACKAGE_DIR = path.resolve(__dirname, "..");
const CONTENT_ID = "659202fa2459dc94ea00027a";
const SYNCED = ["maya.wood@thrive-sandbox.example", "theo.griffiths@thrive-sandbox.example", "jonah.allen@thrive-sandbox.example"];

function freePort() {
    return new Promise((resolve) => {
        const srv = net.createServer();
        srv.listen(0, "127.0.0.1", () => {
            const { port } = srv.address();
            srv.close(() => resolve(port));
        });
    });
}

async function eventually(what, check, timeoutMs = 30000) {
    const end = Date.now() + timeoutMs;
    let last;
    while (Date.now() < end) {
        try {
            const v = await check();
            if (v) return v;
        } catch (e) {
            last = e;
        }
        await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ""}`);
}

let serve;
let capture;
let received = [];
let userDir;
let port;
let red;
const redLog = [];

function startNodeRed() {
    const child = spawn(process.execPath, [require.resolve("node-red/red.js"), "-u", userDir, "-p", String(port), "-s", path.join(userDir, "settings.js")], {
        env: Object.assign({}, process.env, { THRIVE_BLOCKS_BIN: s.BIN }),
        stdio: ["ignore", "pipe", "pipe"],
    });
    child.stderr.on("data", (d) => redLog.push(String(d)));
    const ready = s.waitForLine(child, child.stdout, (line) => {
        redLog.push(line);
        return /Server now running at/.test(line) ? true : null;
    }, "node-red", 60000);
    child.stdout.on("data", (d) => redLog.push(String(d)));
    return ready.then(() => child);
}

function stopNodeRed(child) {
    return new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGINT");
    });
}

async function admin(method, route, body) {
    const res = await fetch(`http://127.0.0.1:${port}${route}`, {
        method,
        headers: Object.assign({ "Node-RED-API-Version": "v1", accept: "application/json" }, body === undefined ? {} : { "content-type": "application/json", "Node-RED-Deployment-Type": "full" }),
        body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed = text;
    try { parsed = text ? JSON.parse(text) : null; } catch (_) { /* plain text, e.g. "OK" */ }
    return { status: res.status, body: parsed };
}

/**
 * Fires an inject node. A deploy answers before every flow has started, and
 * an inject node not started yet is a 404 (nothing fired), so a 404 is tried
 * again; any other answer than 200 fails.
 */
async function inject(id) {
    await eventually(`inject node ${id}`, async () => {
        const r = await admin("POST", `/inject/${id}`);
        if (r.status === 404) return false;
        assert.equal(r.status, 200, JSON.stringify(r.body));
        return true;
    });
}

/** The three example flows, each on its own tab, pointed at this test's servers. */
function exampleFlows(csvFile) {
    const read = (name) => JSON.parse(fs.readFileSync(path.join(PACKAGE_DIR, "examples", name), "utf8"));
    const nodes = [];
    let config = null;
    for (const [tab, file] of [["tab-onb", "onboarding.json"], ["tab-sync", "nightly-audience-sync.json"], ["tab-done", "completion-to-webhook.json"]]) {
        nodes.push({ id: tab, type: "tab", label: file.replace(/\.json$/, "") });
        for (const n of read(file)) {
            if (n.type === "thrive-config") {
                config = n;
                continue;
            }
            n.z = tab;
            if (n.id === "sync-file") n.filename = csvFile;
            if (n.id === "done-post") n.url = `${capture.url}/completions`;
            nodes.push(n);
        }
    }
    Object.assign(config, {
        name: "Thrive (e2e)", mode: "external", url: serve.url, hostChoice: "custom", host: serve.sandbox,
        credentials: { tenantId: s.SANDBOX_TENANT, apiKey: s.SANDBOX_KEY, token: serve.token },
    });
    nodes.push(config);
    return nodes;
}

before(async () => {
    const dir = s.tmpDir("e2e");
    serve = await s.startServe(["--sandbox", "--store", path.join(dir, "events.db")]);
    capture = await new Promise((resolve) => {
        const srv = http.createServer((req, res) => {
            let body = "";
            req.on("data", (c) => { body += c; });
            req.on("end", () => {
                received.push(JSON.parse(body));
                res.writeHead(200, { "content-type": "application/json" }).end("{}");
            });
        });
        srv.listen(0, "127.0.0.1", () => resolve({ url: `http://127.0.0.1:${srv.address().port}`, srv }));
    });
    userDir = path.join(dir, "node-red");
    fs.mkdirSync(path.join(userDir, "node_modules"), { recursive: true });
    fs.symlinkSync(PACKAGE_DIR, path.join(userDir, "node_modules", "node-red-contrib-thrive-blocks"));
    fs.writeFileSync(path.join(userDir, "settings.js"), `module.exports = ${JSON.stringify({
        uiHost: "127.0.0.1",
        flowFile: "flows.json",
        credentialSecret: "e2e-credential-secret",
        logging: { console: { level: "info", metrics: false, audit: false } },
        editorTheme: { tours: false, projects: { enabled: false } },
        telemetry: { enabled: false },
    })};\n`);
    port = await freePort();
    red = await startNodeRed();
});

after(async () => {
    if (red) await stopNodeRed(red);
    if (serve) await serve.stop();
    if (capture) capture.srv.close();
});

test("the example flows deploy and run against the sandbox; a completion reaches the webhook flow exactly once, across a restart", { timeout: 240000 }, async () => {
    const csv = path.join(userDir, "members.csv");
    fs.writeFileSync(csv, `email,name\n${SYNCED.map((e) => `${e},x`).join("\n")}\n`);
    const deployed = await admin("POST", "/flows", exampleFlows(csv));
    assert.equal(deployed.status, 204, JSON.stringify(deployed.body));
    const types = (await admin("GET", "/nodes")).body.map((set) => set.types).flat();
    for (const t of ["thrive-config", "thrive-users", "thrive-members", "thrive-trigger", "thrive-provisioning"]) assert.ok(types.includes(t), t);

    // Onboarding: the user exists, is a member, and the course is assigned to the audience.
    await inject("onb-inject");
    const user = await eventually("the new user", async () => {
        const r = await serve.call("/tools/thrive_get_user_by_ref/run", { ref: "NEW-0001" });
        return r.status === 200 && r.body.user;
    });
    assert.equal(user.email, "ada.lovelace@example.com");
    const assignment = await eventually("the assignment", async () => {
        const r = await serve.call("/tools/thrive_list_assignments/run", { audienceId: "aud-account-execs" });
        return r.body.assignments.find((a) => a.primaryContentId === CONTENT_ID);
    });
    assert.equal(assignment.completionPeriod, 30);
    const members = await serve.call("/tools/thrive_list_audience_members/run", { audienceId: "aud-account-execs", returnAll: true });
    assert.ok(members.body.results.some((m) => m.reference === "NEW-0001" && m.userId === user.id), JSON.stringify(members.body).slice(0, 300));

    // Nightly sync: the audience's members become exactly the CSV's.
    await inject("sync-inject");
    await eventually("the synced audience", async () => {
        const r = await serve.call("/tools/thrive_list_audience_members/run", { audienceId: "aud-account-execs", returnAll: true });
        const emails = r.body.results.map((m) => m.email).sort();
        return JSON.stringify(emails) === JSON.stringify([...SYNCED].sort());
    });

    // A completion: the sandbox's signed webhook, the receiver, the trigger node, the http request node.
    const complete = (userId, contentId) => serve.call("/tools/thrive_create_completion/run", { userId, contentId, completedAt: "2026-03-15T10:30:00.000Z" });
    assert.equal((await complete(user.id, CONTENT_ID)).status, 200);
    await eventually("the first completion at the webhook", () => received.length >= 1);
    await new Promise((r) => setTimeout(r, 2000));
    assert.equal(received.length, 1);
    assert.equal(received[0].eventType, "content.completed");
    assert.equal(received[0].content.id, CONTENT_ID);

    // Node-RED restarts: nothing is repeated, and the next completion arrives once.
    await stopNodeRed(red);
    red = await startNodeRed();
    await new Promise((r) => setTimeout(r, 3000));
    assert.equal(received.length, 1, "an acknowledged event was delivered again after the restart");
    const second = "659202fbc79a26f53500027b";
    assert.equal((await complete(user.id, second)).status, 200);
    await eventually("the second completion at the webhook", () => received.length >= 2);
    await new Promise((r) => setTimeout(r, 2000));
    assert.equal(received.length, 2);
    assert.equal(received[1].content.id, second);

    // The webhook URL through Node-RED hands the raw body and signature to the
    // block server's receiver: a wrong signature is refused there, nothing is delivered.
    const hook = `http://127.0.0.1:${port}/thrive-blocks/webhooks/thrive-demo-connection/completion_subscription`;
    const forged = await fetch(hook, { method: "POST", headers: { "content-type": "application/json", "x-hmac-signature": "sha256=00" }, body: JSON.stringify(received[0]) });
    const forgedBody = await forged.text();
    assert.equal(forged.status, 401, forgedBody);
    assert.equal(JSON.parse(forgedBody).error.code, "unauthorized");
    const unknown = await fetch(hook.replace("thrive-demo-connection", "no-such-node"), { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    assert.equal(unknown.status, 404);
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(received.length, 2);

    // The exported flow and Node-RED's log carry no credential.
    const flows = await admin("GET", "/flows");
    assert.ok(JSON.stringify(flows.body).includes("thrive-config"));
    s.assertNoSecret(assert, flows.body, [s.SANDBOX_KEY, serve.token], "the exported flow");
    s.assertNoSecret(assert, redLog.join("\n"), [s.SANDBOX_KEY, serve.token], "Node-RED's log");
});

test("the editor with a tool node's edit dialog open (headless Chromium screenshot)", { timeout: 120000, skip: !fs.existsSync(process.env.CHROMIUM || "/usr/bin/chromium") && "no /usr/bin/chromium" }, async () => {
    const { chromium } = require("playwright-core");
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: ["--no-sandbox"] });
    try {
        const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
        await page.goto(`http://127.0.0.1:${port}/`);
        await page.waitForFunction(() => window.RED && RED.nodes && RED.nodes.node("onb-create"), null, { timeout: 60000 });
        await page.evaluate(() => {
            RED.workspaces.show("tab-onb");
            RED.editor.edit(RED.nodes.node("onb-create"));
        });
        await page.waitForSelector("#node-input-operation", { state: "visible" });
        await page.waitForSelector(".thrive-field-row", { state: "visible" });
        await page.waitForTimeout(800);
        const operation = await page.$eval("#node-input-operation", (el) => el.options[el.selectedIndex].text);
        assert.equal(operation, "Create user");
        const labels = await page.$$eval(".thrive-field-row > label", (els) => els.map((e) => e.textContent));
        assert.deepEqual(labels.slice(0, 3), ["User reference *", "First name *", "Last name *"]);
        const file = path.join(s.OUT, "node-red-editor.png");
        await page.screenshot({ path: file });
        assert.ok(fs.statSync(file).size > 10000);
    } finally {
        await browser.close();
    }
});
