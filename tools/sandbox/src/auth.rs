//! Authentication: Basic `base64(tenantId:apiKey)` and OAuth 2.0 client
//! credentials with Bearer tokens (behaviour.md §3).
//!
//! The token endpoint is `POST /oauth2/token/{tenantId}`; its request and
//! response follow RFC 6749 §4.4 (the documented Cognito-style flow):
//! - body `application/x-www-form-urlencoded` with
//!   `grant_type=client_credentials` and an optional space-separated `scope`
//!   from `api/read`, `api/write`, `api/all`;
//! - client authentication by `Authorization: Basic base64(id:secret)` or the
//!   form fields `client_id`/`client_secret`;
//! - success `200 {"access_token", "token_type": "Bearer", "expires_in"}`.
//!
//! Choices for undocumented behaviour:
//! - a wrong tenant id in the path, or unknown client credentials, is
//!   `401 {"error": "invalid_client"}`; a missing `grant_type` or a body that
//!   is not form-encoded is `400 {"error": "invalid_request"}`; another grant
//!   type is `400 {"error": "unsupported_grant_type"}`; any other scope
//!   (including `api/webhooks`, a webhook-host scope) is
//!   `400 {"error": "invalid_scope"}`;
//! - without `scope` the token gets `api/all`;
//! - tokens are opaque random strings, valid for
//!   [`crate::SandboxConfig::token_ttl_secs`];
//! - on `/rest/*`, `GET`/`HEAD` need `api/read` or `api/all`, other methods
//!   `api/write` or `api/all`; a token without them gets the Thrive 403 body;
//!   an unknown, revoked or expired token gets the Thrive 401 body.

use std::time::Duration;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::json;

use crate::error::{ApiError, unauthorized_challenge};
use crate::request::{PathParams, parse_pairs};
use crate::state::SandboxState;
use crate::tokens::Scopes;

fn decode_basic(value: &str) -> Option<(String, String)> {
    let bytes = STANDARD.decode(value.trim()).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (user, pass) = text.split_once(':')?;
    Some((user.to_owned(), pass.to_owned()))
}

fn split_scheme(value: &str) -> Option<(&str, &str)> {
    let value = value.trim();
    let (scheme, rest) = value.split_once(' ')?;
    Some((scheme, rest.trim()))
}

fn bearer_rejected() -> ApiError {
    ApiError::unauthorized().with_header(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer error=\"invalid_token\""),
    )
}

/// Checks the `Authorization` header of a `/rest/*` request.
pub(crate) fn authorize(
    state: &SandboxState,
    headers: &HeaderMap,
    method: &Method,
) -> Result<(), ApiError> {
    let value = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(unauthorized_challenge)?;
    let (scheme, credentials) = split_scheme(value).ok_or_else(unauthorized_challenge)?;
    let config = &state.shared.config;
    if scheme.eq_ignore_ascii_case("basic") {
        match decode_basic(credentials) {
            Some((tenant, key)) if tenant == config.tenant_id && key == config.api_key => Ok(()),
            _ => Err(unauthorized_challenge()),
        }
    } else if scheme.eq_ignore_ascii_case("bearer") {
        let scopes = state
            .tokens()
            .check(credentials)
            .ok_or_else(bearer_rejected)?;
        let reading = matches!(*method, Method::GET | Method::HEAD);
        let allowed = if reading { scopes.read } else { scopes.write };
        if allowed {
            Ok(())
        } else {
            Err(ApiError::forbidden(if reading {
                "The access token lacks the api/read or api/all scope needed for this call"
            } else {
                "The access token lacks the api/write or api/all scope needed for this call"
            }))
        }
    } else {
        Err(unauthorized_challenge())
    }
}

/// Middleware for every `/rest/*` route.
pub(crate) async fn require_auth(
    State(state): State<SandboxState>,
    request: Request,
    next: Next,
) -> Response {
    match authorize(&state, request.headers(), request.method()) {
        Ok(()) => next.run(request).await,
        Err(e) => e.into_response(),
    }
}

fn oauth_error(status: StatusCode, code: &str) -> Response {
    let mut response = (
        status,
        [
            (header::CACHE_CONTROL, "no-store"),
            (header::PRAGMA, "no-cache"),
        ],
        Json(json!({ "error": code })),
    )
        .into_response();
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"oauth2\""),
        );
    }
    response
}

/// `POST /oauth2/token/{tenantId}`.
pub(crate) async fn token_endpoint(
    State(state): State<SandboxState>,
    PathParams(tenant): PathParams<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let config = &state.shared.config;
    if tenant != config.tenant_id {
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client");
    }
    let form_encoded = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| {
            ct.split(';').next().is_some_and(|m| {
                m.trim()
                    .eq_ignore_ascii_case("application/x-www-form-urlencoded")
            })
        });
    if !form_encoded {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_request");
    }
    let form = parse_pairs(&String::from_utf8_lossy(&body));
    let field = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let header_credentials = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(split_scheme)
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("basic"))
        .and_then(|(_, c)| decode_basic(c));
    let credentials = header_credentials.or_else(|| {
        Some((
            field("client_id")?.to_owned(),
            field("client_secret")?.to_owned(),
        ))
    });
    match credentials {
        Some((id, secret)) if id == config.client_id && secret == config.client_secret => {}
        _ => return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client"),
    }
    match field("grant_type") {
        None | Some("") => return oauth_error(StatusCode::BAD_REQUEST, "invalid_request"),
        Some("client_credentials") => {}
        Some(_) => return oauth_error(StatusCode::BAD_REQUEST, "unsupported_grant_type"),
    }
    let Some(scopes) = Scopes::parse(field("scope")) else {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_scope");
    };
    let ttl = config.token_ttl_secs;
    let token = state.tokens().issue(scopes, Duration::from_secs(ttl));
    state.stats_mut().tokens_issued += 1;
    (
        StatusCode::OK,
        [
            (header::CACHE_CONTROL, "no-store"),
            (header::PRAGMA, "no-cache"),
        ],
        Json(json!({
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": ttl,
        })),
    )
        .into_response()
}
