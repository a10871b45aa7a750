//! Test support: a loopback HTTP server that records every request and
//! answers from a queue, and helpers to run tools against it.
#![allow(dead_code)]

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use thrive_blocks::api::Origin;
use thrive_blocks::{Catalogue, Context, Error, RetryPolicy};

/// The tenant id used by every request-shape test.
pub const TENANT: &str = "eu-west-2_AbcdEfghI";
/// The API key used by every request-shape test.
pub const KEY: &str = "s3cr3t";
/// `Basic base64("eu-west-2_AbcdEfghI:s3cr3t")`, from Thrive's docs.
pub const BASIC: &str = "Basic ZXUtd2VzdC0yX0FiY2RFZmdoSTpzM2NyM3Q=";

/// One request the server saw.
#[derive(Debug, Clone)]
pub struct Captured {
    pub method: String,
    /// The path exactly as sent (still percent-encoded).
    pub path: String,
    /// The raw query string, if any.
    pub query: Option<String>,
    pub authorization: Option<String>,
    pub content_type: Option<String>,
    pub accept: Option<String>,
    /// The body parsed as JSON (`Null` when empty).
    pub body: Value,
}

impl Captured {
    /// `METHOD path?query`.
    pub fn line(&self) -> String {
        match &self.query {
            Some(q) => format!("{} {}?{}", self.method, self.path, q),
            None => format!("{} {}", self.method, self.path),
        }
    }
}

/// A queued reply: status, JSON body (`Null`: none) and extra headers.
type Reply = (u16, Value, Vec<(String, String)>);

#[derive(Default)]
struct Shared {
    seen: Vec<Captured>,
    replies: VecDeque<Reply>,
}

/// A server on 127.0.0.1 that records requests and replies from a queue
/// (200 `{}` when the queue is empty).
#[derive(Clone)]
pub struct CaptureServer {
    addr: SocketAddr,
    shared: Arc<Mutex<Shared>>,
}

async fn handle(
    State(shared): State<Arc<Mutex<Shared>>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let h = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let captured = Captured {
        method: method.to_string(),
        path: uri.path().to_owned(),
        query: uri.query().map(str::to_owned),
        authorization: h("authorization"),
        content_type: h("content-type"),
        accept: h("accept"),
        body: if body.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&body)
                .unwrap_or_else(|_| json!({"unparsed": String::from_utf8_lossy(&body)}))
        },
    };
    let mut s = shared.lock().unwrap();
    s.seen.push(captured);
    let (status, body, headers) = s
        .replies
        .pop_front()
        .unwrap_or((200, json!({}), Vec::new()));
    let status = StatusCode::from_u16(status).unwrap();
    let mut response = if body.is_null() {
        status.into_response()
    } else {
        (
            status,
            [("content-type", "application/json")],
            body.to_string(),
        )
            .into_response()
    };
    for (k, v) in headers {
        response.headers_mut().insert(
            axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
            v.parse().unwrap(),
        );
    }
    response
}

impl CaptureServer {
    /// Starts the server on a free loopback port.
    pub async fn start() -> Self {
        let shared = Arc::new(Mutex::new(Shared::default()));
        let app = Router::new().fallback(handle).with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Self { addr, shared }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Queues a reply with `status` and JSON `body` (`Value::Null`: no body).
    pub fn reply(&self, status: u16, body: Value) -> &Self {
        self.shared
            .lock()
            .unwrap()
            .replies
            .push_back((status, body, Vec::new()));
        self
    }

    /// Queues a reply with extra headers.
    pub fn reply_with_headers(&self, status: u16, body: Value, headers: &[(&str, &str)]) -> &Self {
        let headers = headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        self.shared
            .lock()
            .unwrap()
            .replies
            .push_back((status, body, headers));
        self
    }

    /// Every request seen so far.
    pub fn requests(&self) -> Vec<Captured> {
        self.shared.lock().unwrap().seen.clone()
    }

    /// The only request seen (panics unless exactly one was).
    pub fn single(&self) -> Captured {
        only(self.requests())
    }

    /// A context that allows this server, without retries.
    pub fn context(&self) -> Context {
        Context::builder()
            .allow_origin(Origin::parse(&self.origin()).unwrap())
            .retry(RetryPolicy::none())
            .build()
    }

    /// `params` plus tenantId, apiKey and host pointing here (a `host` in
    /// `params` wins).
    pub fn input(&self, params: Value) -> Value {
        let mut input = with_credentials(params);
        if input.get("host").is_none() {
            input["host"] = self.origin().into();
        }
        input
    }

    /// Runs tool `id` with `params` against this server.
    pub async fn run(&self, id: &str, params: Value) -> Result<Value, Error> {
        Catalogue::global()
            .execute(id, self.input(params), &self.context())
            .await
    }
}

/// `params` plus the test tenant's tenantId and apiKey (a value in
/// `params` wins).
pub fn with_credentials(params: Value) -> Value {
    let mut input = json!({"tenantId": TENANT, "apiKey": KEY});
    for (k, v) in params.as_object().expect("params must be an object") {
        input[k] = v.clone();
    }
    input
}

/// The only request of `seen` (panics unless there is exactly one).
pub fn only(seen: Vec<Captured>) -> Captured {
    assert_eq!(seen.len(), 1, "expected exactly one request, saw {seen:#?}");
    seen.into_iter().next().unwrap()
}

/// Asserts a request was a JSON call with the documented headers.
pub fn assert_headers(req: &Captured) {
    assert_eq!(req.authorization.as_deref(), Some(BASIC));
    assert_eq!(req.accept.as_deref(), Some("application/json"));
    assert_eq!(req.content_type.as_deref(), Some("application/json"));
}

/// The violations of validating `params` (with credentials added) for `id`.
pub fn violations(id: &str, params: Value) -> Vec<(String, String)> {
    match Catalogue::global().validate(id, with_credentials(params)) {
        Ok(()) => Vec::new(),
        Err(e) => e
            .violations()
            .into_iter()
            .map(|v| (v.pointer, v.message))
            .collect(),
    }
}

/// The pointers of the violations of validating `params` for `id`.
pub fn violated_pointers(id: &str, params: Value) -> Vec<String> {
    violations(id, params).into_iter().map(|(p, _)| p).collect()
}

mod offline;
#[allow(unused_imports)] // not every test binary runs tools offline
pub use offline::{Offline, runs_offline};

/// The operations of seed 004 (`tests/data/seed004.json`), each with its
/// exact inputs and outputs: the one list of the 47 documented operations.
pub fn seed_operations() -> Vec<Value> {
    serde_json::from_str(include_str!("../data/seed004.json")).expect("seed004.json parses")
}

/// The ids of the 47 documented operations, in the seed's order.
pub fn documented_ids() -> Vec<String> {
    seed_operations()
        .iter()
        .map(|op| {
            op["id"]
                .as_str()
                .expect("every seed operation has an id")
                .to_owned()
        })
        .collect()
}
