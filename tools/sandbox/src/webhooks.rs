//! Outbound webhooks: the sandbox POSTs Thrive-shaped, signed events when
//! its state changes, like Thrive does for a tenant whose subscriptions are
//! configured (webhooks.md §1).
//!
//! Configure with [`SandboxState::set_webhooks`] (or
//! [`crate::Sandbox::set_webhooks`]): a target URL and optional secret per
//! subscription type. Events emitted:
//!
//! | state change | subscription | event |
//! |---|---|---|
//! | `POST /rest/v2/users` | `user_subscription` | `user.created` |
//! | `PATCH /rest/v2/users/ref/{ref}` | `user_subscription` | `user.updated` |
//! | `PATCH /rest/v2/users/ref/{ref}/suspend` | `user_subscription` | `user.deactivated` |
//! | `POST /rest/v1/learning/completions` (201: a new record) | `completion_subscription` | `content.completed` |
//! | `POST /rest/v1/assignments` | `assignment_subscription` | `assignment.assigned` |
//! | `PATCH /rest/v1/assignments/{id}` | `assignment_subscription` | `assignment.updated` |
//! | `DELETE /rest/v1/assignments/{id}` | `assignment_subscription` | `assignment.removed` |
//!
//! Delivery follows Thrive: `POST` with `Content-Type: application/json`,
//! `x-hmac-signature: sha256=<hex>` of the raw body when a secret is set,
//! and a non-2xx answer or a failed connection retried with exponential
//! backoff (the same bytes every time, so receivers can deduplicate) up to
//! [`WebhookConfig::max_attempts`]. Switches: [`WebhookConfig::duplicates`]
//! sends each event more than once, [`WebhookConfig::delay_ms`] holds each
//! delivery back. Unlike Thrive, plain `http://` targets are allowed (the
//! sandbox talks to loopback receivers). Events are sent concurrently, so
//! their order is not guaranteed (Thrive documents none either).

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Map, Value, json};
use sha2::Sha256;
use tokio::sync::mpsc;

use crate::state::SandboxState;
use crate::time::{format_millis, now_millis};

/// One subscription's target.
#[derive(Clone, PartialEq, Eq)]
pub struct WebhookTarget {
    /// Where events are POSTed.
    pub url: String,
    /// The signing secret; `None` sends unsigned events.
    pub secret: Option<String>,
}

impl fmt::Debug for WebhookTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookTarget")
            .field("url", &self.url)
            .field("secret", &self.secret.as_ref().map(|_| "***"))
            .finish()
    }
}

/// Where and how the sandbox sends webhooks. `Debug` never shows secrets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebhookConfig {
    /// Targets keyed by subscription type (`user_subscription`,
    /// `completion_subscription`, `assignment_subscription`,
    /// `content_subscription`, `notification_subscription`).
    pub targets: BTreeMap<String, WebhookTarget>,
    /// Extra copies of every event (Thrive's retries seen by a receiver
    /// whose 2xx was lost). Default 0.
    pub duplicates: u32,
    /// Hold every delivery back this long, in ms. Default 0.
    pub delay_ms: u64,
    /// Attempts per delivery, the first included. Default 5.
    pub max_attempts: u32,
    /// First backoff between attempts, doubled each time, in ms. Default 100.
    pub backoff_ms: u64,
}

impl Default for WebhookConfig {
    fn default() -> Self {
        Self {
            targets: BTreeMap::new(),
            duplicates: 0,
            delay_ms: 0,
            max_attempts: 5,
            backoff_ms: 100,
        }
    }
}

impl WebhookConfig {
    /// Returns the config with `subscription` sent to `url`, signed with `secret`.
    pub fn target(
        mut self,
        subscription: &str,
        url: impl Into<String>,
        secret: Option<&str>,
    ) -> Self {
        self.targets.insert(
            subscription.to_owned(),
            WebhookTarget {
                url: url.into(),
                secret: secret.map(str::to_owned),
            },
        );
        self
    }
}

/// Counters of webhook deliveries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WebhookStats {
    /// Events emitted (before duplicates).
    pub emitted: u64,
    /// POSTs answered 2xx.
    pub delivered: u64,
    /// POST attempts, retries included.
    pub attempts: u64,
    /// Deliveries given up after the last attempt.
    pub failed: u64,
}

struct Outgoing {
    subscription: &'static str,
    body: String,
}

/// The sandbox's webhook emitter (inside the shared state).
#[derive(Default)]
pub(crate) struct Webhooks {
    sender: Mutex<Option<mpsc::UnboundedSender<Outgoing>>>,
    config: Mutex<Option<Arc<WebhookConfig>>>,
    stats: Arc<Mutex<WebhookStats>>,
}

impl fmt::Debug for Webhooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Webhooks").finish_non_exhaustive()
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl SandboxState {
    /// Starts sending webhooks per `config` (replacing earlier settings).
    /// Must be called inside a Tokio runtime; events are sent by a task on it.
    pub fn set_webhooks(&self, config: WebhookConfig) {
        let hooks = &self.shared.webhooks;
        let config = Arc::new(config);
        *lock(&hooks.config) = Some(config.clone());
        let (tx, rx) = mpsc::unbounded_channel();
        *lock(&hooks.sender) = Some(tx);
        match tokio::runtime::Handle::try_current() {
            Ok(handle) => {
                handle.spawn(sender_task(rx, config, hooks.stats.clone()));
            }
            Err(_) => tracing::warn!(
                "sandbox: set_webhooks outside a Tokio runtime; nothing will be sent"
            ),
        }
    }

    /// Stops sending webhooks.
    pub fn clear_webhooks(&self) {
        *lock(&self.shared.webhooks.sender) = None;
        *lock(&self.shared.webhooks.config) = None;
    }

    /// The webhook delivery counters.
    pub fn webhook_stats(&self) -> WebhookStats {
        *lock(&self.shared.webhooks.stats)
    }

    /// Emits `event` on `subscription` if a target is configured for it.
    pub(crate) fn emit(&self, subscription: &'static str, event: Value) {
        let hooks = &self.shared.webhooks;
        let configured = lock(&hooks.config)
            .as_ref()
            .is_some_and(|c| c.targets.contains_key(subscription));
        if !configured {
            return;
        }
        if let Some(tx) = lock(&hooks.sender).as_ref() {
            lock(&hooks.stats).emitted += 1;
            let _ = tx.send(Outgoing {
                subscription,
                body: event.to_string(),
            });
        }
    }

    fn webhooks_on(&self) -> bool {
        lock(&self.shared.webhooks.config).is_some()
    }
}

impl crate::Sandbox {
    /// See [`SandboxState::set_webhooks`].
    pub fn set_webhooks(&self, config: WebhookConfig) {
        self.state().set_webhooks(config);
    }
}

async fn sender_task(
    mut rx: mpsc::UnboundedReceiver<Outgoing>,
    config: Arc<WebhookConfig>,
    stats: Arc<Mutex<WebhookStats>>,
) {
    let client = match reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
    {
        Ok(c) => c,
        Err(error) => {
            tracing::warn!(%error, "sandbox: no HTTP client for webhooks");
            return;
        }
    };
    while let Some(out) = rx.recv().await {
        let Some(target) = config.targets.get(out.subscription).cloned() else {
            continue;
        };
        let (client, config, stats) = (client.clone(), config.clone(), stats.clone());
        tokio::spawn(async move {
            if config.delay_ms > 0 {
                tokio::time::sleep(Duration::from_millis(config.delay_ms)).await;
            }
            for _ in 0..=config.duplicates {
                deliver(&client, &target, &out.body, &config, &stats).await;
            }
        });
    }
}

async fn deliver(
    client: &reqwest::Client,
    target: &WebhookTarget,
    body: &str,
    config: &WebhookConfig,
    stats: &Mutex<WebhookStats>,
) {
    let attempts = config.max_attempts.max(1);
    for attempt in 0..attempts {
        if attempt > 0 {
            let backoff = config.backoff_ms.saturating_mul(1 << (attempt - 1).min(16));
            tokio::time::sleep(Duration::from_millis(backoff)).await;
        }
        lock(stats).attempts += 1;
        let mut request = client
            .post(&target.url)
            .header("content-type", "application/json")
            .body(body.to_owned());
        if let Some(secret) = &target.secret {
            request = request.header("x-hmac-signature", sign(secret.as_bytes(), body.as_bytes()));
        }
        match request.send().await {
            Ok(r) if r.status().is_success() => {
                lock(stats).delivered += 1;
                return;
            }
            Ok(r) => tracing::debug!(status = r.status().as_u16(), "sandbox: webhook refused"),
            Err(error) => tracing::debug!(%error, "sandbox: webhook failed"),
        }
    }
    lock(stats).failed += 1;
    // The receiver's address holds no secret; the body (user data) is not logged.
    tracing::warn!(
        url = %target.url,
        attempts,
        "sandbox: webhook not delivered (is the receiver running, and does it know the secret and the tenant?)"
    );
}

/// `sha256=<lowercase hex>` of HMAC-SHA256(secret, body).
pub fn sign(secret: &[u8], body: &[u8]) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret) else {
        return String::new();
    };
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// Route layer: after a successful state change, emit its event.
pub(crate) async fn emit_layer(
    State(state): State<SandboxState>,
    request: Request,
    next: Next,
) -> Response {
    if !state.webhooks_on() {
        return next.run(request).await;
    }
    let method = request.method().clone();
    let template = request
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_owned())
        .unwrap_or_default();
    let path = request.uri().path().to_owned();
    let kind = match (method, template.as_str()) {
        (Method::POST, "/rest/v2/users") => Kind::User("user.created"),
        (Method::PATCH, "/rest/v2/users/ref/{ref}") => Kind::User("user.updated"),
        (Method::PATCH, "/rest/v2/users/ref/{ref}/suspend") => Kind::User("user.deactivated"),
        (Method::POST, "/rest/v1/learning/completions") => Kind::Completion,
        (Method::POST, "/rest/v1/assignments") => Kind::Assignment("assignment.assigned"),
        (Method::PATCH, "/rest/v1/assignments/{assignmentId}") => {
            Kind::Assignment("assignment.updated")
        }
        (Method::DELETE, "/rest/v1/assignments/{assignmentId}") => {
            Kind::Assignment("assignment.removed")
        }
        _ => return next.run(request).await,
    };
    let response = next.run(request).await;
    let status = response.status();
    if !status.is_success() || (matches!(kind, Kind::Completion) && status.as_u16() != 201) {
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 16 * 1024 * 1024).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let answer: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    let assignment_id = path.rsplit('/').next().unwrap_or_default().to_owned();
    if let Some((subscription, event)) = build_event(&state, kind, &answer, &assignment_id) {
        state.emit(subscription, event);
    }
    Response::from_parts(parts, Body::from(bytes))
}

#[derive(Clone, Copy)]
enum Kind {
    User(&'static str),
    Completion,
    Assignment(&'static str),
}

fn s(v: &Value, key: &str) -> Value {
    v.get(key).cloned().unwrap_or(Value::Null)
}

fn user_fields(user: &Value) -> Value {
    json!({
        "id": s(user, "id"),
        "reference": s(user, "ref"),
        "firstName": s(user, "firstName"),
        "lastName": s(user, "lastName"),
        "email": s(user, "email"),
        "status": s(user, "status"),
        "role": s(user, "role"),
    })
}

fn learner(state: &SandboxState, id: &str) -> Value {
    match state.user(id) {
        Some(u) => json!({
            "id": id,
            "reference": s(&u, "ref"),
            "email": s(&u, "email"),
            "firstName": s(&u, "firstName"),
            "lastName": s(&u, "lastName"),
        }),
        None => {
            json!({"id": id, "reference": null, "email": null, "firstName": null, "lastName": null})
        }
    }
}

fn content(state: &SandboxState, id: &str) -> Value {
    let db = state.db();
    let found = db.contents.iter().find(|c| c.id == id);
    json!({
        "id": id,
        "title": found.map(|c| c.title.clone()),
        "type": found.map(|c| c.kind.clone()),
        "urls": [format!("https://sandbox.learn.link/content/{id}")],
    })
}

fn envelope(state: &SandboxState, event_type: &str, fields: Map<String, Value>) -> Value {
    let now = format_millis(now_millis());
    let mut map = Map::new();
    map.insert("eventType".into(), event_type.into());
    map.insert("tenantId".into(), state.config().tenant_id.clone().into());
    map.extend(fields);
    map.insert("createdAt".into(), now.clone().into());
    map.insert("dispatchedAt".into(), now.into());
    Value::Object(map)
}

fn build_event(
    state: &SandboxState,
    kind: Kind,
    answer: &Value,
    path_id: &str,
) -> Option<(&'static str, Value)> {
    match kind {
        Kind::User(event_type) => {
            let user = answer.get("user").unwrap_or(answer);
            let mut f = Map::new();
            f.insert("user".into(), user_fields(user));
            Some(("user_subscription", envelope(state, event_type, f)))
        }
        Kind::Completion => {
            let statement = answer.get("statementId")?.as_str()?.to_owned();
            let (user_id, content_id) = {
                let db = state.db();
                let c = db
                    .completions
                    .iter()
                    .find(|c| c.statement_id == statement)?;
                (c.user_id.clone(), c.content_id.clone())
            };
            let mut f = Map::new();
            f.insert("user".into(), learner(state, &user_id));
            f.insert("content".into(), content(state, &content_id));
            Some((
                "completion_subscription",
                envelope(state, "content.completed", f),
            ))
        }
        Kind::Assignment(event_type) => {
            let id = answer
                .get("id")
                .and_then(Value::as_str)
                .map_or_else(|| path_id.to_owned(), str::to_owned);
            let a = state.assignment(&id)?;
            let audience = a
                .get("audienceId")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            let primary = a
                .get("primaryContentId")
                .and_then(Value::as_str)
                .map(str::to_owned);
            let users: Vec<Value> = state
                .members(&audience)
                .iter()
                .map(|u| learner(state, u))
                .collect();
            let mut f = Map::new();
            f.insert("reason".into(), Value::Null);
            f.insert(
                "assignment".into(),
                json!({
                    "id": id,
                    "audienceId": audience,
                    "primaryContentId": primary,
                    "completionPeriod": s(&a, "completionPeriod"),
                    "recurring": !s(&a, "recurrence").is_null(),
                    "recurrence": s(&a, "recurrence").as_str().map(str::to_owned)
                        .or_else(|| (!s(&a, "recurrence").is_null()).then(|| s(&a, "recurrence").to_string())),
                }),
            );
            if let Some(p) = &primary {
                f.insert("content".into(), content(state, p));
            }
            f.insert("users".into(), Value::Array(users));
            Some(("assignment_subscription", envelope(state, event_type, f)))
        }
    }
}

/// Inbound provisioning (webhooks.md §2): `POST /webhooks`, which Thrive
/// serves on its user API hosts; the sandbox serves it on its one origin.
///
/// Choices for undocumented behaviour: the answer is
/// `200 {"success": true, "id": <the envelope id>}`; a missing `id`,
/// `eventType` or `content.user.ref`, or an unknown `eventType`, is 400;
/// an unknown ref for update, suspend or delete is 404. `user_joined`
/// unsuspends an existing user with that ref (status `active`), otherwise
/// creates one (v2 create rules); `user_updated` applies the fields given
/// except `ref`; `user_suspended` takes `endDate`; `user_deleted`
/// obfuscates like the REST delete.
pub(crate) fn provisioning_routes() -> axum::Router<SandboxState> {
    axum::Router::new().route("/webhooks", axum::routing::post(provision))
}

async fn provision(
    State(state): State<SandboxState>,
    body: axum::body::Bytes,
) -> Result<Response, crate::error::ApiError> {
    use crate::error::ApiError;
    let envelope = crate::request::json_object(&body)?;
    let text = |v: Option<&Value>, name: &str| {
        v.and_then(Value::as_str)
            .filter(|s| !s.trim().is_empty())
            .map(str::to_owned)
            .ok_or_else(|| ApiError::bad_request(format!("{name} is required")))
    };
    let id = text(envelope.get("id"), "id")?;
    let event_type = text(envelope.get("eventType"), "eventType")?;
    let user = envelope
        .get("content")
        .and_then(|c| c.get("user"))
        .and_then(Value::as_object)
        .cloned()
        .ok_or_else(|| ApiError::bad_request("content.user is required"))?;
    let reference = text(user.get("ref"), "content.user.ref")?;
    let now = now_millis();
    match event_type.as_str() {
        "user_joined" => {
            let existing = state.user_by_ref(&reference);
            if existing.is_some() {
                state.set_user_status(&reference, "active");
            } else {
                let mut map = Map::new();
                for key in ["ref", "email", "firstName", "lastName"] {
                    if let Some(v) = user.get(key) {
                        map.insert(key.into(), v.clone());
                    }
                }
                state.db().create_user(&map, now)?;
            }
        }
        "user_updated" => {
            let mut map = user.clone();
            map.remove("ref");
            for key in ["jobTitle", "managerRef", "startDate"] {
                map.remove(key);
            }
            state.db().update_user(&reference, &map, now)?;
        }
        "user_suspended" => {
            let mut map = Map::new();
            if let Some(end) = user.get("endDate") {
                map.insert("endDate".into(), end.clone());
            }
            state.db().suspend_user(&reference, &map, now)?;
        }
        "user_deleted" => {
            state.db().delete_user(&reference, now)?;
        }
        other => {
            return Err(ApiError::bad_request(format!(
                "eventType {other:?} is not one of user_joined, user_updated, user_suspended, user_deleted"
            )));
        }
    }
    Ok(crate::routes::ok(json!({"success": true, "id": id})))
}
