//! What every route file shares: the answer helpers and the id check.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::config::DeleteResponseMode;
use crate::error::ApiError;
use crate::rng::is_hex24;
use crate::state::SandboxState;

/// What handlers return.
pub(crate) type ApiResult = Result<Response, ApiError>;

/// `200` with a JSON body.
pub(crate) fn ok(body: Value) -> Response {
    (StatusCode::OK, Json(body)).into_response()
}

/// `201` with a JSON body (the sandbox's choice for creates).
pub(crate) fn created(body: Value) -> Response {
    (StatusCode::CREATED, Json(body)).into_response()
}

/// Any status with a JSON body.
pub(crate) fn with_status(status: StatusCode, body: Value) -> Response {
    (status, Json(body)).into_response()
}

/// The success answer of delete-style calls, per
/// [`crate::SandboxConfig::delete_response`].
pub(crate) fn deleted(state: &SandboxState) -> Response {
    match state.shared.config.delete_response {
        DeleteResponseMode::JsonSuccess => ok(json!({ "success": true })),
        DeleteResponseMode::NoContent => StatusCode::NO_CONTENT.into_response(),
    }
}

/// 400 unless `id` has the documented 24-hex form.
pub(crate) fn check_hex_id(id: &str) -> Result<(), ApiError> {
    if is_hex24(id) {
        Ok(())
    } else {
        Err(ApiError::bad_request(
            "id must be a 24-character hexadecimal string",
        ))
    }
}
