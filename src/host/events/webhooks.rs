//! Triggers in the block server: Thrive's webhooks in, events out.
//!
//! ```text
//! POST /webhooks/thrive/{subscription}   Thrive's delivery (no bearer token: HMAC-verified)
//!                                        → 200 {"cursor", "duplicate"} once the event is durable
//! GET  /events?after=CURSOR&wait=S&limit=N&trigger=ID[&filters=JSON]
//!                                        → {"events": [...], "next": CURSOR} (long poll up to S ≤ 60 s;
//!                                          `filters` are the trigger's filters, as its form gives them)
//! GET  /triggers                         → [{id, title, description, version, eventTypes, source}]
//! GET  /triggers/{id}                    → the trigger's manifest
//! ```
//!
//! Refusals of the receiver answer `{"error": {"code", "message", "retryable",
//! "delivery", "attempts"}}`, the keys of a failed step's error, with
//! 401 (missing or wrong signature), 400 (not a Thrive event), 403 (tenant
//! not configured), 404 (subscription not enabled), 413 (body too large) or
//! 503 (the store failed: nothing was acknowledged, Thrive retries).

use crate::host::server::refusal::Refusal;
use crate::triggers::Receiver;
use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};
use std::borrow::Cow;
use std::time::Duration;

/// The longest long poll `GET /events` holds a request.
pub const MAX_WAIT_SECS: u64 = 60;

/// `POST /webhooks/thrive/{subscription}`, answered by `receiver`. Merge it
/// outside the bearer-token check: Thrive cannot send the token, the HMAC
/// signature protects the route.
pub fn receiver_routes<S: Clone + Send + Sync + 'static>(receiver: Receiver) -> Router<S> {
    Router::new()
        .route("/webhooks/thrive/{subscription}", post(receive))
        .with_state(receiver)
}

/// `GET /events` over `receiver`'s log (merge it behind the bearer token).
pub fn event_routes<S: Clone + Send + Sync + 'static>(receiver: Receiver) -> Router<S> {
    Router::new()
        .route("/events", get(events))
        .with_state(receiver)
}

/// `GET /triggers` and `GET /triggers/{id}`.
pub fn trigger_routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route("/triggers", get(list_triggers))
        .route("/triggers/{id}", get(trigger_manifest))
}

fn error(
    status: StatusCode,
    code: &'static str,
    message: impl Into<Cow<'static, str>>,
) -> Response {
    let refusal = Refusal::new(status, code, message);
    // 503: nothing was acknowledged or read; the same request can be repeated.
    if status == StatusCode::SERVICE_UNAVAILABLE {
        refusal.retryable()
    } else {
        refusal
    }
    .into_response()
}

async fn receive(
    State(receiver): State<Receiver>,
    Path(subscription): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Response {
    // The block server's guard reads bodies first (413 over its limit, 408
    // when too slow); a router without it still answers in the one shape.
    let body = match body {
        Ok(body) => body,
        Err(rejection) => {
            let status = rejection.status();
            let code = if status == StatusCode::PAYLOAD_TOO_LARGE {
                "invalid_input"
            } else {
                "bad_request"
            };
            return error(status, code, rejection.body_text());
        }
    };
    match receiver.accept(&subscription, &headers, &body).await {
        Ok(ack) => (StatusCode::OK, Json(ack)).into_response(),
        Err(e) => {
            let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST);
            tracing::info!(%subscription, status = status.as_u16(), reason = %e, "webhook refused");
            let code = match status.as_u16() {
                401 => "unauthorized",
                403 => "forbidden",
                404 => "not_found",
                503 => "unavailable",
                _ => "invalid_input",
            };
            error(status, code, e.to_string())
        }
    }
}

#[derive(Debug, Deserialize)]
struct EventsQuery {
    after: Option<u64>,
    wait: Option<f64>,
    limit: Option<usize>,
    trigger: Option<String>,
    filters: Option<String>,
}

async fn events(
    State(receiver): State<Receiver>,
    query: Result<Query<EventsQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Query(q) = match query {
        Ok(q) => q,
        Err(e) => return error(StatusCode::BAD_REQUEST, "invalid_input", e.body_text()),
    };
    let wait = q.wait.unwrap_or(0.0);
    if !wait.is_finite() || wait < 0.0 {
        return error(
            StatusCode::BAD_REQUEST,
            "invalid_input",
            "wait must be a number of seconds ≥ 0",
        );
    }
    let mut filters = None;
    if let Some(t) = &q.trigger {
        let trigger = match crate::Catalogue::global().trigger(t) {
            Ok(trigger) => trigger,
            Err(e) => {
                return error(
                    StatusCode::NOT_FOUND,
                    e.code().as_str(),
                    e.message().to_owned(),
                );
            }
        };
        if let Some(text) = &q.filters {
            let parsed = serde_json::from_str::<Value>(text)
                .map_err(|e| format!("filters is not JSON: {e}"))
                .and_then(|v| trigger.filters(&v).map_err(|e| e.message().to_owned()));
            match parsed {
                Ok(f) => filters = Some(f),
                Err(message) => return error(StatusCode::BAD_REQUEST, "invalid_input", message),
            }
        }
    } else if q.filters.is_some() {
        return error(
            StatusCode::BAD_REQUEST,
            "invalid_input",
            "filters needs trigger: the filters are a trigger's",
        );
    }
    let wait = Duration::from_secs_f64(wait.min(MAX_WAIT_SECS as f64));
    let limit = q.limit.unwrap_or(100).clamp(1, 1000);
    let after = q.after.unwrap_or(0);
    let deadline = tokio::time::Instant::now() + wait;
    let mut position = after;
    loop {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        let batch = match receiver.log().read(position, limit, left).await {
            Ok(b) => b,
            Err(e) => {
                return error(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    e.to_string(),
                );
            }
        };
        if batch.is_empty() {
            return Json(json!({"events": [], "next": position})).into_response();
        }
        position = batch.last().map_or(position, |d| d.cursor());
        let events: Vec<Value> = batch
            .iter()
            .filter(|d| q.trigger.as_ref().is_none_or(|t| *t == d.event.trigger))
            .filter(|d| {
                filters
                    .as_ref()
                    .is_none_or(|f| f.matches(&d.event.event_type, &d.payload()))
            })
            .map(|d| d.to_json())
            .collect();
        // With a trigger filter, keep waiting past events of other triggers.
        if !events.is_empty() || tokio::time::Instant::now() >= deadline {
            return Json(json!({"events": events, "next": position})).into_response();
        }
    }
}

async fn list_triggers() -> Response {
    let list: Vec<Value> = crate::Catalogue::global()
        .triggers()
        .map(|t| {
            let m = t.meta();
            json!({"id": m.id, "title": m.title, "description": m.description,
                   "version": m.version, "eventTypes": m.event_types, "source": m.source})
        })
        .collect();
    Json(Value::Array(list)).into_response()
}

async fn trigger_manifest(Path(id): Path<String>) -> Response {
    match crate::Catalogue::global().trigger(&id) {
        Ok(t) => Json(t.manifest()).into_response(),
        Err(e) => error(
            StatusCode::NOT_FOUND,
            e.code().as_str(),
            e.message().to_owned(),
        ),
    }
}
