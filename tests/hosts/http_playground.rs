//! The block playground and the routes it needs: the embedded page and its
//! freshness, the default connection of `serve`, the dropdown options
//! route, and the OpenAPI document — against the embedded sandbox.
#![cfg(all(feature = "server", feature = "sandbox"))]

use crate::support_sandbox::*;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use thrive_blocks::host::http::{self, ServerOptions};
use thrive_blocks::params::Connection;
use thrive_blocks::{Catalogue, Context, RetryPolicy};
use thrive_sandbox::SandboxConfig;

/// The sandbox's API key: must never appear in any response.
const API_KEY: &str = "api-key-NEVER-ECHOED-77d1";

struct Server {
    base: String,
    client: reqwest::Client,
}

struct Reply {
    status: u16,
    headers: reqwest::header::HeaderMap,
    text: String,
    json: Value,
}

impl Server {
    async fn start(ctx: Context, options: ServerOptions) -> Server {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = http::router_with_options(Catalogue::global(), ctx, options);
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Server {
            base: format!("http://{addr}"),
            client: reqwest::Client::new(),
        }
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> Reply {
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap();
        assert!(
            !text.contains(API_KEY),
            "the API key leaked into a {status} answer: {text}"
        );
        Reply {
            status,
            headers,
            json: serde_json::from_str(&text).unwrap_or(Value::Null),
            text,
        }
    }

    async fn get(&self, path: &str) -> Reply {
        self.send(self.client.get(format!("{}{path}", self.base)))
            .await
    }

    /// A GET as the playground page sends it (a browser marks it
    /// `Sec-Fetch-Site: same-origin`).
    async fn get_from_page(&self, path: &str) -> Reply {
        self.send(
            self.client
                .get(format!("{}{path}", self.base))
                .header("sec-fetch-site", "same-origin"),
        )
        .await
    }

    async fn post(&self, path: &str, body: &Value) -> Reply {
        self.send(
            self.client
                .post(format!("{}{path}", self.base))
                .header("content-type", "application/json")
                .body(body.to_string()),
        )
        .await
    }
}

async fn sandbox() -> Env {
    Env::with_config(SandboxConfig {
        api_key: API_KEY.into(),
        ..SandboxConfig::default()
    })
    .await
}

/// The sandbox's connection as a [`Connection`].
fn default_connection(env: &Env) -> Connection {
    let cfg = env.sandbox.config();
    Connection::basic(cfg.tenant_id.clone(), cfg.api_key.clone()).with_host(env.base())
}

/// A sandbox and a server whose default connection is the sandbox.
async fn server_with_default() -> (Env, Server) {
    let env = sandbox().await;
    let options = ServerOptions::default().with_default_connection(default_connection(&env));
    let server = Server::start(env.ctx.clone(), options).await;
    (env, server)
}

// ---- the embedded page ------------------------------------------------

/// Every file the playground build hashes, relative to `ui/`, in byte order.
fn hashed_files(ui: &Path) -> Vec<String> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(&ui.join("src"), &mut files);
    walk(&ui.join("form-helpers"), &mut files);
    for name in ["package.json", "package-lock.json", "build.mjs"] {
        files.push(ui.join(name));
    }
    let mut names: Vec<String> = files
        .iter()
        .map(|p| {
            p.strip_prefix(ui)
                .unwrap()
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/")
        })
        .collect();
    names.sort();
    names
}

#[test]
fn the_embedded_playground_is_built_from_the_current_sources() {
    let ui = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui");
    let mut hash = Sha256::new();
    for name in hashed_files(&ui) {
        hash.update(name.as_bytes());
        hash.update(b"\n");
        hash.update(std::fs::read(ui.join(&name)).unwrap());
        hash.update(b"\n");
    }
    let digest: String = hash.finalize().iter().map(|b| format!("{b:02x}")).collect();
    let recorded = thrive_blocks::host::http::playground::SOURCE_HASH.trim();
    assert_eq!(
        recorded, digest,
        "the embedded playground is stale; run `npm --prefix ui ci && npm --prefix ui run build`"
    );
}

#[tokio::test]
async fn the_page_and_its_assets_are_served_without_node() {
    let server = Server::start(
        Context::builder().retry(RetryPolicy::none()).build(),
        ServerOptions::default().with_token("t0ken-for-the-api"),
    )
    .await;
    // The page holds nothing tenant-specific: no token needed.
    for path in ["/ui", "/ui/"] {
        let page = server.get(path).await;
        assert_eq!(page.status, 200, "{path}");
        assert_eq!(page.headers["content-type"], "text/html; charset=utf-8");
        assert!(page.text.contains("/ui/assets/app.js"), "{}", page.text);
        let csp = page.headers["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        assert!(csp.contains("connect-src 'self'"), "{csp}");
    }
    let js = server.get("/ui/assets/app.js").await;
    assert_eq!(js.status, 200);
    assert_eq!(js.headers["content-type"], "text/javascript; charset=utf-8");
    assert_eq!(js.text, thrive_blocks::host::http::playground::APP_JS);
    assert!(js.text.len() > 10_000, "the bundle looks empty");
    let css = server.get("/ui/assets/app.css").await;
    assert_eq!(css.status, 200);
    assert_eq!(css.headers["content-type"], "text/css; charset=utf-8");
    let missing = server.get("/ui/assets/secrets.txt").await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.json["error"]["code"], "not_found");
    // The API behind the page still needs the token.
    assert_eq!(server.get("/playground/config").await.status, 401);
    assert_eq!(server.get("/openapi.json").await.status, 401);
}

#[tokio::test]
async fn the_root_and_the_favicon_lead_to_the_page_without_a_token() {
    let server = Server::start(
        Context::builder().retry(RetryPolicy::none()).build(),
        ServerOptions::default().with_token("t0ken-for-the-api"),
    )
    .await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    for (path, to) in [("/", "/ui"), ("/favicon.ico", "/ui/assets/favicon.svg")] {
        let reply = client
            .get(format!("{}{path}", server.base))
            .send()
            .await
            .unwrap();
        assert_eq!(reply.status().as_u16(), 303, "{path}");
        assert_eq!(reply.headers()["location"], to, "{path}");
    }
    let icon = server.get("/ui/assets/favicon.svg").await;
    assert_eq!(icon.status, 200);
    assert_eq!(icon.headers["content-type"], "image/svg+xml");
    assert!(icon.text.starts_with("<svg"), "{}", icon.text);
    let page = server.get("/ui").await;
    assert!(
        page.text
            .contains(r#"<link rel="icon" type="image/svg+xml" href="/ui/assets/favicon.svg">"#),
        "{}",
        page.text
    );
}

// ---- the default connection ---------------------------------------------

#[tokio::test]
async fn config_tells_whether_there_is_a_default_connection_never_its_key() {
    let (env, server) = server_with_default().await;
    let reply = server.get("/playground/config").await;
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.json,
        json!({"defaultConnection": true, "tenantId": env.sandbox.config().tenant_id})
    );
    let bare = Server::start(env.ctx.clone(), ServerOptions::default()).await;
    assert_eq!(
        bare.get("/playground/config").await.json,
        json!({"defaultConnection": false})
    );
}

#[tokio::test]
async fn a_request_without_a_connection_uses_the_default_one() {
    let (env, server) = server_with_default().await;
    let reply = server
        .post(
            "/tools/thrive_create_audience/run",
            &json!({"name": "Made without a connection"}),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.json);
    let id = text(&reply.json["audience"]["id"]);
    let stored = env
        .state
        .audience(&id)
        .expect("the audience is in the sandbox");
    assert_eq!(stored["name"], "Made without a connection");

    let valid = server
        .post(
            "/tools/thrive_get_audience/validate",
            &json!({"audienceId": id}),
        )
        .await;
    assert_eq!(valid.status, 200, "{}", valid.json);
    let dry = server
        .post(
            "/tools/thrive_get_audience/dry-run",
            &json!({"audienceId": id}),
        )
        .await;
    assert_eq!(dry.status, 200, "{}", dry.json);
    assert_eq!(
        dry.json["url"],
        format!("{}/rest/v1/audiences/{id}", env.base())
    );
    assert_eq!(dry.json["headers"]["Authorization"], "Basic ***");
}

#[tokio::test]
async fn a_request_with_its_own_connection_keeps_it() {
    let (env, server) = server_with_default().await;
    // The request's own (wrong) key wins: the sandbox refuses it.
    let mut input = env.input(json!({"name": "Should not exist"}));
    input["apiKey"] = json!("not-the-key");
    let reply = server
        .post("/tools/thrive_create_audience/run", &input)
        .await;
    assert_eq!(reply.status, 502, "{}", reply.json);
    assert_eq!(reply.json["error"]["code"], "unauthorized");
    assert!(
        env.state
            .audiences()
            .iter()
            .all(|a| a["name"] != "Should not exist")
    );
    // A tenant alone is not completed with the default key.
    let reply = server
        .post(
            "/tools/thrive_list_audiences/validate",
            &json!({"tenantId": "someone-else"}),
        )
        .await;
    assert_eq!(reply.status, 422, "{}", reply.json);
    let pointers: Vec<&str> = reply.json["error"]["details"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["pointer"].as_str())
        .collect();
    assert_eq!(pointers, ["/apiKey"], "{}", reply.json);
}

#[tokio::test]
async fn without_a_default_the_connection_is_required() {
    let env = sandbox().await;
    let server = Server::start(env.ctx.clone(), ServerOptions::default()).await;
    let reply = server
        .post("/tools/thrive_list_audiences/run", &json!({}))
        .await;
    assert_eq!(reply.status, 422, "{}", reply.json);
    let text = reply.json.to_string();
    assert!(
        text.contains("/tenantId") && text.contains("/apiKey"),
        "{text}"
    );
}

// ---- dropdown options ---------------------------------------------------

fn option_values(reply: &Reply) -> Vec<String> {
    reply.json["options"]
        .as_array()
        .unwrap_or_else(|| panic!("no options in {}", reply.json))
        .iter()
        .map(|o| text(&o["value"]))
        .collect()
}

#[tokio::test]
async fn options_come_from_the_list_tool_with_the_default_connection() {
    let (env, server) = server_with_default().await;
    let reply = server
        .get_from_page("/tools/thrive_get_audience/options/audienceId")
        .await;
    assert_eq!(reply.status, 200, "{}", reply.json);
    let audiences = env.state.audiences();
    let first = &reply.json["options"][0];
    let known = audiences
        .iter()
        .find(|a| text(&a["id"]) == text(&first["value"]))
        .expect("the first option is a sandbox audience");
    assert_eq!(first["label"], known["name"]);
    assert_eq!(reply.json["page"], 1);
    let expected = audiences.len().min(50);
    assert_eq!(option_values(&reply).len(), expected);
    assert_eq!(reply.json["hasMore"], json!(audiences.len() > 50));

    // q keeps the options whose label (or value) contains it.
    let name = text(&known["name"]);
    let q: String = name.chars().take(6).collect();
    let reply = server
        .get_from_page(&format!(
            "/tools/thrive_get_audience/options/audienceId?q={}",
            percent(&q)
        ))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.json);
    let labels: Vec<String> = reply.json["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| text(&o["label"]).to_lowercase())
        .collect();
    assert!(labels.contains(&name.to_lowercase()), "{labels:?}");
    assert!(labels.iter().all(|l| {
        l.contains(&q.to_lowercase())
            || reply
                .json
                .to_string()
                .to_lowercase()
                .contains(&q.to_lowercase())
    }));
}

#[tokio::test]
async fn options_with_the_default_connection_are_only_for_the_servers_own_pages() {
    let (_env, server) = server_with_default().await;
    let path = "/tools/thrive_get_audience/options/audienceId";
    let url = format!("{}{path}", server.base);
    let get = |headers: &[(&str, String)]| {
        let mut request = server.client.get(&url);
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        server.send(request)
    };
    // An image or script tag of another page in an older browser: no
    // Origin, no Sec-Fetch-Site.
    for headers in [
        vec![],
        vec![("referer", "https://evil.example/page".to_owned())],
        vec![("sec-fetch-site", "same-site".to_owned())],
    ] {
        let reply = get(&headers).await;
        assert_eq!(reply.status, 403, "{headers:?}: {}", reply.json);
        assert_eq!(reply.json["error"]["code"], "forbidden");
        assert_eq!(reply.json["error"]["delivery"], "not_sent");
        assert!(reply.json.get("options").is_none());
    }
    let own = server.base.clone();
    for headers in [
        vec![("sec-fetch-site", "same-origin".to_owned())],
        vec![("sec-fetch-site", "none".to_owned())],
        vec![("referer", format!("{own}/ui"))],
        vec![("origin", own.clone())],
    ] {
        let reply = get(&headers).await;
        assert_eq!(reply.status, 200, "{headers:?}: {}", reply.json);
        assert!(reply.json["options"].is_array());
    }
}

#[tokio::test]
async fn with_the_token_options_need_no_page_evidence() {
    let env = sandbox().await;
    let options = ServerOptions::default()
        .with_default_connection(default_connection(&env))
        .with_token("s3cret-token");
    let server = Server::start(env.ctx.clone(), options).await;
    let url = format!(
        "{}/tools/thrive_get_audience/options/audienceId",
        server.base
    );
    let reply = server.send(server.client.get(&url)).await;
    assert_eq!(reply.status, 401, "{}", reply.json);
    let reply = server
        .send(server.client.get(&url).bearer_auth("s3cret-token"))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.json);
    // The page and its assets hold no data and need no token.
    let page = server
        .send(server.client.get(format!("{}/ui", server.base)))
        .await;
    assert_eq!(page.status, 200);
}

/// Percent-encodes a query value.
fn percent(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn options_take_the_connection_from_a_post_body() {
    let env = sandbox().await;
    let server = Server::start(env.ctx.clone(), ServerOptions::default()).await;
    // No default connection: GET cannot fetch options (no key in URLs).
    let reply = server
        .get("/tools/thrive_get_user_by_ref/options/ref")
        .await;
    assert_eq!(reply.status, 422, "{}", reply.json);
    assert_eq!(reply.json["error"]["code"], "invalid_input");

    let body = merge(env.connection(), json!({"q": "", "page": 1}));
    let reply = server
        .post("/tools/thrive_get_user_by_ref/options/ref", &body)
        .await;
    assert_eq!(reply.status, 200, "{}", reply.json);
    let values = option_values(&reply);
    assert!(!values.is_empty());
    for v in &values {
        assert!(
            env.state.user_by_ref(v).is_some(),
            "option {v} is not a user ref"
        );
    }
}

#[tokio::test]
async fn options_refuse_unknown_fields_and_bad_paging() {
    let (_env, server) = server_with_default().await;
    let reply = server
        .get_from_page("/tools/thrive_get_audience/options/name")
        .await;
    assert_eq!(reply.status, 404, "{}", reply.json);
    let reply = server
        .get_from_page("/tools/thrive_nope/options/audienceId")
        .await;
    assert_eq!(reply.status, 404, "{}", reply.json);
    assert_eq!(reply.json["error"]["code"], "unknown_tool");
    let reply = server
        .post(
            "/tools/thrive_get_audience/options/audienceId",
            &json!({"page": 0}),
        )
        .await;
    assert_eq!(reply.status, 422, "{}", reply.json);
    assert_eq!(reply.json["error"]["details"][0]["pointer"], "/page");
    let reply = server
        .post(
            "/tools/thrive_get_audience/options/audienceId",
            &json!({"audienceId": "x"}),
        )
        .await;
    assert_eq!(reply.status, 422, "{}", reply.json);
    assert_eq!(reply.json["error"]["details"][0]["pointer"], "/audienceId");
}

// ---- OpenAPI ------------------------------------------------------------

#[tokio::test]
async fn openapi_describes_every_tool_with_its_schemas() {
    let (_env, server) = server_with_default().await;
    let reply = server.get("/openapi.json").await;
    assert_eq!(reply.status, 200);
    let doc = &reply.json;
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(
        doc["jsonSchemaDialect"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    let error = &doc["components"]["schemas"]["Error"];
    assert_eq!(error["required"], json!(["error"]));
    let catalogue = Catalogue::global();
    let paths = doc["paths"].as_object().unwrap();
    for tool in catalogue.tools() {
        let id = tool.meta().id;
        for action in ["validate", "dry-run", "run"] {
            let op = &paths[&format!("/tools/{id}/{action}")]["post"];
            let body = &op["requestBody"]["content"]["application/json"]["schema"];
            assert!(body.get("$schema").is_none());
            assert_eq!(
                body["properties"],
                tool.input_schema()["properties"],
                "{id}"
            );
            // With a default connection, the connection inputs are optional.
            let required: Vec<&str> = body["required"]
                .as_array()
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            assert!(
                !required.contains(&"tenantId") && !required.contains(&"apiKey"),
                "{id}"
            );
            assert_eq!(
                op["responses"]["422"]["content"]["application/json"]["schema"]["$ref"],
                "#/components/schemas/Error"
            );
        }
        let run = &paths[&format!("/tools/{id}/run")]["post"];
        let mut output = tool.output_schema().clone();
        if let Some(map) = output.as_object_mut() {
            map.remove("$schema");
        }
        assert_eq!(
            run["responses"]["200"]["content"]["application/json"]["schema"], output,
            "{id}"
        );
        assert_eq!(run["operationId"], format!("run_{id}"));
    }
    for route in [
        "/healthz",
        "/tools",
        "/tools/{id}",
        "/tools/{id}/options/{field}",
        "/playground/config",
        "/openapi.json",
        "/ui",
    ] {
        assert!(paths.contains_key(route), "{route} is not documented");
    }
    assert_eq!(paths.len(), catalogue.len() * 3 + 7);
    // No token configured: no security requirement.
    assert!(doc.get("security").is_none());
}

#[tokio::test]
async fn openapi_requires_the_connection_when_there_is_no_default() {
    let server = Server::start(
        Context::builder().retry(RetryPolicy::none()).build(),
        ServerOptions::default(),
    )
    .await;
    let doc = server.get("/openapi.json").await.json;
    let body = &doc["paths"]["/tools/thrive_create_user/run"]["post"]["requestBody"]["content"]["application/json"]
        ["schema"];
    let required = body["required"].as_array().unwrap();
    assert!(required.contains(&json!("tenantId")) && required.contains(&json!("apiKey")));
}
