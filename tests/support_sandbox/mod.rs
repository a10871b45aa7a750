//! Test support for running catalogue tools against the embedded Thrive
//! sandbox (`thrive-sandbox`) and reading the sandbox's state back.
#![allow(dead_code)]

use serde_json::{Value, json};
use thrive_blocks::api::Origin;
use thrive_blocks::{Catalogue, Context, Error, ErrorCode, RetryPolicy};
use thrive_sandbox::{Sandbox, SandboxConfig, SandboxState};

/// A running sandbox, a context that allows it, and its state handle.
pub struct Env {
    pub sandbox: Sandbox,
    pub state: SandboxState,
    pub ctx: Context,
}

impl Env {
    /// A sandbox with the seeded demo tenant (seed 42), on a free port.
    pub async fn start() -> Env {
        Env::with_config(SandboxConfig::default()).await
    }

    /// A sandbox with `config`, on a free port.
    pub async fn with_config(config: SandboxConfig) -> Env {
        let sandbox = Sandbox::start(config)
            .await
            .expect("the sandbox should start on a loopback port");
        let state = sandbox.state();
        let mut env = Env {
            sandbox,
            state,
            ctx: Context::builder().build(),
        };
        env.ctx = env.fresh_context();
        env
    }

    /// A new context for this sandbox that shares nothing (no token cache)
    /// with `self.ctx`.
    pub fn fresh_context(&self) -> Context {
        Context::builder()
            .allow_origin(Origin::parse(&self.base()).expect("sandbox origin"))
            .retry(RetryPolicy::none())
            .build()
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base(&self) -> String {
        self.sandbox.base_url()
    }

    /// The Basic-auth connection inputs for this sandbox.
    pub fn connection(&self) -> Value {
        let cfg = self.sandbox.config();
        json!({"tenantId": cfg.tenant_id, "apiKey": cfg.api_key, "host": self.base()})
    }

    /// The OAuth connection inputs (client id, client secret as apiKey).
    pub fn oauth_connection(&self, scope: Option<&str>) -> Value {
        let cfg = self.sandbox.config();
        let mut c = json!({"tenantId": cfg.tenant_id, "apiKey": cfg.client_secret,
                           "clientId": cfg.client_id, "host": self.base()});
        if let Some(s) = scope {
            c["scope"] = json!(s);
        }
        c
    }

    /// `params` plus the Basic connection inputs.
    pub fn input(&self, params: Value) -> Value {
        merge(self.connection(), params)
    }

    /// Runs tool `id` with `params` (Basic auth) through the catalogue.
    pub async fn run(&self, id: &str, params: Value) -> Result<Value, Error> {
        Catalogue::global()
            .execute(id, self.input(params), &self.ctx)
            .await
    }

    /// Runs tool `id` with a complete `input` (connection included).
    pub async fn run_raw(&self, id: &str, input: Value) -> Result<Value, Error> {
        Catalogue::global().execute(id, input, &self.ctx).await
    }

    /// Runs tool `id` and returns its output, failing the test on error.
    pub async fn ok(&self, id: &str, params: Value) -> Value {
        match self.run(id, params.clone()).await {
            Ok(v) => v,
            Err(e) => panic!("{id} with {params} failed: {}", e.to_json()),
        }
    }

    /// Runs tool `id` and returns its error, failing the test on success.
    pub async fn err(&self, id: &str, params: Value) -> Error {
        match self.run(id, params.clone()).await {
            Ok(v) => panic!("{id} with {params} should have failed, got {v}"),
            Err(e) => e,
        }
    }

    /// The Thrive id of the live user with `reference`.
    pub fn user_id(&self, reference: &str) -> String {
        let user = self
            .state
            .user_by_ref(reference)
            .unwrap_or_else(|| panic!("sandbox has no live user {reference}"));
        text(&user["id"])
    }

    /// The Thrive id of the audience with id or reference `ident`.
    pub fn audience_id(&self, ident: &str) -> String {
        let a = self
            .state
            .audience(ident)
            .unwrap_or_else(|| panic!("sandbox has no audience {ident}"));
        text(&a["id"])
    }

    /// Live (not deleted) users, v1 objects, in creation order.
    pub fn live_users(&self) -> Vec<Value> {
        self.state
            .users()
            .into_iter()
            .filter(|u| u["deleted"] != json!(true))
            .collect()
    }

    /// Live users that are not members of `audience`, in creation order.
    pub fn non_members(&self, audience: &str) -> Vec<Value> {
        let members = self.state.members(audience);
        self.live_users()
            .into_iter()
            .filter(|u| !members.contains(&text(&u["id"])))
            .collect()
    }
}

/// `base` with every key of `extra` set on it.
pub fn merge(mut base: Value, extra: Value) -> Value {
    let Value::Object(extra) = extra else {
        panic!("params must be a JSON object, got {extra}");
    };
    for (k, v) in extra {
        base[k.as_str()] = v;
    }
    base
}

/// A string value, or a panic naming what it was.
pub fn text(v: &Value) -> String {
    v.as_str()
        .unwrap_or_else(|| panic!("expected a string, got {v}"))
        .to_owned()
}

/// The string values of `key` in each item.
pub fn strings(items: &Value, key: &str) -> Vec<String> {
    items
        .as_array()
        .unwrap_or_else(|| panic!("expected an array, got {items}"))
        .iter()
        .map(|i| text(&i[key]))
        .collect()
}

/// The items of an array value.
pub fn array(v: &Value) -> &Vec<Value> {
    v.as_array()
        .unwrap_or_else(|| panic!("expected an array, got {v}"))
}

/// Asserts an error's stable code and HTTP status.
#[track_caller]
pub fn assert_error(err: &Error, code: ErrorCode, status: Option<u16>) {
    assert_eq!(
        (err.code(), err.status()),
        (code, status),
        "unexpected error: {}",
        err.to_json()
    );
}

/// The documented pagination object.
pub fn pagination(total: usize, page: usize, per_page: usize) -> Value {
    json!({
        "totalResults": total,
        "totalPages": total.div_ceil(per_page),
        "page": page,
        "perPage": per_page,
    })
}

/// A number as f64 (levels may be integers or floats on the wire).
pub fn num(v: &Value) -> f64 {
    v.as_f64()
        .unwrap_or_else(|| panic!("expected a number, got {v}"))
}
