//! The route handlers: list, manifest, validate, dry-run and run a tool,
//! the playground's configuration and dropdown options, the OpenAPI document.

use super::openapi::{self, OpenApiOptions};
use super::options::MAX_BODY_BYTES;
use super::playground;
use super::state::AppState;
use crate::api::Context;
use crate::catalogue::CatalogueTool;
use crate::error::{Error, ErrorCode};
use crate::host::server::refusal::Refusal;
use crate::params::Connection;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::time::Instant;

pub(super) async fn healthz(State(state): State<AppState>) -> Response {
    axum::Json(json!({"status": "ok", "tools": state.catalogue.len()})).into_response()
}

pub(super) async fn list_tools(State(state): State<AppState>) -> Response {
    let tools: Vec<Value> = state
        .catalogue
        .tools()
        .map(|t| {
            let m = t.meta();
            json!({
                "id": m.id,
                "title": m.title,
                "description": m.description,
                "version": m.version,
                "hints": {
                    "readOnly": m.hints.read_only,
                    "destructive": m.hints.destructive,
                    "idempotent": m.hints.idempotent,
                    "paginated": m.paging.is_paginated(),
                },
            })
        })
        .collect();
    axum::Json(Value::Array(tools)).into_response()
}

/// The tool named by the path, or 404 `unknown_tool`.
/// The tool a call names and its input, with the server's default
/// connection filled in where the input leaves it out.
fn call_of(
    state: &AppState,
    path: Result<Path<String>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<(&'static CatalogueTool, Value), Refusal> {
    let tool = tool_of(state, path)?;
    let mut input = input_of(body)?;
    state.fill_default_connection(&mut input);
    Ok((tool, input))
}

pub(super) fn tool_of(
    state: &AppState,
    path: Result<Path<String>, PathRejection>,
) -> Result<&'static CatalogueTool, Refusal> {
    let Path(id) = path.map_err(|r| {
        Refusal::failed_with_status(
            StatusCode::BAD_REQUEST,
            Error::new(ErrorCode::InvalidInput, r.body_text()),
        )
    })?;
    state.catalogue.get(&id).map_err(|_| {
        Refusal::failed(Error::new(
            ErrorCode::UnknownTool,
            format!("no tool has the id {id:?}; GET /tools lists them all"),
        ))
    })
}

/// The request body as JSON, or 400 (not JSON) or 413 (too large).
pub(super) fn input_of(body: Result<Bytes, BytesRejection>) -> Result<Value, Refusal> {
    let bytes = body.map_err(|r| {
        if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Refusal::failed_with_status(
                StatusCode::PAYLOAD_TOO_LARGE,
                Error::field(
                    "",
                    format!("the request body is larger than {MAX_BODY_BYTES} bytes"),
                ),
            )
        } else {
            Refusal::failed_with_status(
                StatusCode::BAD_REQUEST,
                Error::field("", "the request body could not be read"),
            )
        }
    })?;
    serde_json::from_slice(&bytes).map_err(|e| {
        // The parser's message names a line and column, never the content.
        Refusal::failed_with_status(
            StatusCode::BAD_REQUEST,
            Error::field("", format!("the request body is not valid JSON: {e}")),
        )
    })
}

pub(super) async fn manifest(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, Refusal> {
    Ok(axum::Json(tool_of(&state, path)?.manifest()).into_response())
}

pub(super) async fn validate(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, Refusal> {
    let (tool, input) = call_of(&state, path, body)?;
    tool.prepare(input).map_err(Refusal::failed)?;
    Ok(axum::Json(json!({"valid": true})).into_response())
}

pub(super) async fn dry_run(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, Refusal> {
    let (tool, input) = call_of(&state, path, body)?;
    let dry = state
        .catalogue
        .dry_run(tool.meta().id, input, &state.ctx)
        .map_err(Refusal::failed)?;
    Ok(axum::Json(dry.to_json()).into_response())
}

pub(super) async fn run(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, Refusal> {
    let (tool, input) = call_of(&state, path, body)?;
    // The run's connection, typed, to read its tenant's 429 gate after a
    // `rate_limited` failure.
    let connection = Connection::of_input(&input);
    match state
        .catalogue
        .execute(tool.meta().id, input, &state.ctx)
        .await
    {
        Ok(output) => Ok(axum::Json(output).into_response()),
        Err(e) => {
            let retry_after = match e.code() {
                ErrorCode::RateLimited => connection
                    .as_ref()
                    .and_then(|c| retry_after_secs(&state.ctx, c)),
                _ => None,
            };
            Err(Refusal::failed(e).with_retry_after(retry_after))
        }
    }
}

/// Whole seconds until the 429 gate of the run's tenant and host opens
/// (the key the runtime uses: `tenant|origin`), when it is still closed.
fn retry_after_secs(ctx: &Context, connection: &Connection) -> Option<u64> {
    let origin = ctx.hosts().resolve(connection.host.as_deref()).ok()?;
    let until = ctx.gate_until(&connection.tenant_id, &origin)?;
    let wait = until.saturating_duration_since(Instant::now());
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    Some(secs.max(1))
}

/// `GET /playground/config`: whether there is a default connection.
pub(super) async fn playground_config(State(state): State<AppState>) -> Response {
    axum::Json(playground::config_json(state.default_connection.as_deref())).into_response()
}

/// `GET /openapi.json`: the server described as OpenAPI 3.1.
pub(super) async fn openapi_document(State(state): State<AppState>) -> Response {
    let options = OpenApiOptions {
        default_connection: state.default_connection.is_some(),
        token: state.token.is_some(),
    };
    axum::Json(openapi::document(state.catalogue, options)).into_response()
}

/// `GET /tools/{id}/options/{field}`: a dropdown's options with the
/// default connection. A GET can be sent by any page (an image or script
/// tag sends neither `Origin` nor `Sec-Fetch-Site` in older browsers), so
/// without the server's token (checked before this handler) the read runs
/// only for a request that shows it comes from the server's own page
/// ([`FromOwnPage`](crate::host::server::guard::FromOwnPage)).
pub(super) async fn field_options(
    State(state): State<AppState>,
    own_page: Option<axum::Extension<crate::host::server::guard::FromOwnPage>>,
    Path(names): Path<(String, String)>,
    query: Result<Query<playground::OptionsQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    if state.token.is_none()
        && state.default_connection.is_some()
        && let Err(refused) =
            crate::host::server::guard::FromOwnPage::required(own_page.as_ref().map(|e| &e.0))
    {
        return refused;
    }
    playground::options_get(
        state.catalogue,
        &state.ctx,
        state.default_connection.as_deref(),
        names,
        query.ok(),
    )
    .await
}

/// `POST /tools/{id}/options/{field}`: a dropdown's options with the
/// connection in the body.
pub(super) async fn field_options_post(
    State(state): State<AppState>,
    Path(names): Path<(String, String)>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    playground::options_post(
        state.catalogue,
        &state.ctx,
        state.default_connection.as_deref(),
        names,
        body,
    )
    .await
}
