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
//! [`crate::WebhookConfig::max_attempts`]. Switches:
//! [`crate::WebhookConfig::duplicates`] sends each event more than once,
//! [`crate::WebhookConfig::delay_ms`] holds each
//! delivery back. Unlike Thrive, plain `http://` targets are allowed (the
//! sandbox talks to loopback receivers). Events are sent concurrently, so
//! their order is not guaranteed (Thrive documents none either).

use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use serde_json::{Map, Value, json};

use crate::outbox::{WebhookConfig, WebhookStats};
use crate::state::SandboxState;
use crate::time::{format_millis, now_millis};

impl SandboxState {
    /// Starts sending webhooks per `config` (replacing earlier settings).
    /// Must be called inside a Tokio runtime; events are sent by a task on it.
    pub fn set_webhooks(&self, config: WebhookConfig) {
        self.webhooks().configure(config);
    }

    /// Stops sending webhooks.
    pub fn clear_webhooks(&self) {
        self.webhooks().clear();
    }

    /// The webhook delivery counters.
    pub fn webhook_stats(&self) -> WebhookStats {
        self.webhooks().stats()
    }
}

/// Route layer: after a successful state change, emit its event.
pub(crate) async fn emit_layer(
    State(state): State<SandboxState>,
    request: Request,
    next: Next,
) -> Response {
    if !state.webhooks().is_on() {
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
        state.webhooks().emit(subscription, event);
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
