//! Request bodies: read whole within their time and size (points 3 and 4
//! of the [guard](super)), and declared as JSON where a route takes one.

use super::access::Access;
use crate::error::{Error, ErrorCode};
use crate::host::server::refusal::Refusal;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::time::Duration;

/// `status` with a step-shaped error of `code` saying `message`.
pub(super) fn refuse(status: StatusCode, code: ErrorCode, message: String) -> Response {
    Refusal::failed_with_status(status, Error::new(code, message)).into_response()
}

/// The 413 answer for a body over `max` bytes; the connection is closed
/// (the rest of the body is not read).
pub(super) fn too_large(max: usize) -> Response {
    closing(refuse(
        StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::InvalidInput,
        format!("the request body is larger than {max} bytes"),
    ))
}

fn closing(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

/// Why a request body could not be read whole ([`read_body`]).
#[derive(Debug)]
pub enum BodyProblem {
    /// It is longer than the limit; the first bytes read are kept (at most
    /// the limit), e.g. to find a JSON-RPC id.
    TooLarge(axum::body::Bytes),
    /// It did not arrive within its time.
    TooSlow(Duration),
    /// The connection failed while it was read.
    Broken,
}

impl BodyProblem {
    /// The answer: 413, 408 (code `timeout`, nothing run) or 400, closing
    /// the connection.
    pub fn answer(self, access: &Access) -> Response {
        match self {
            Self::TooLarge(_) => too_large(access.max_body_bytes),
            Self::TooSlow(within) => closing(refuse(
                StatusCode::REQUEST_TIMEOUT,
                ErrorCode::Timeout,
                format!(
                    "the request body did not arrive whole within {within:?}; nothing was run \
                     and nothing was sent to Thrive"
                ),
            )),
            Self::Broken => closing(refuse(
                StatusCode::BAD_REQUEST,
                ErrorCode::InvalidInput,
                "the request body could not be read".to_owned(),
            )),
        }
    }
}

/// Reads `body` whole within the limits of `access`: at most
/// [`Access::max_body_bytes`], its last byte within [`Access::body_timeout`]
/// plus a second per [`Access::min_body_rate`] bytes (of the `declared`
/// length, or of what has arrived for a chunked body).
pub async fn read_body(
    mut body: axum::body::Body,
    declared: Option<u64>,
    access: &Access,
) -> Result<axum::body::Bytes, BodyProblem> {
    use axum::body::HttpBody;
    let started = tokio::time::Instant::now();
    let rate = access.min_body_rate.max(1) as f64;
    let max = access.max_body_bytes;
    let mut data: Vec<u8> = Vec::with_capacity(declared.map_or(0, |d| d.min(max as u64) as usize));
    loop {
        let expected = declared.unwrap_or(0).max(data.len() as u64);
        let allowed = access.body_timeout + Duration::from_secs_f64(expected as f64 / rate);
        let frame = tokio::time::timeout_at(
            started + allowed,
            std::future::poll_fn(|cx| std::pin::Pin::new(&mut body).poll_frame(cx)),
        )
        .await;
        let frame = match frame {
            Err(_) => return Err(BodyProblem::TooSlow(allowed)),
            Ok(None) => return Ok(data.into()),
            Ok(Some(Err(_))) => return Err(BodyProblem::Broken),
            Ok(Some(Ok(frame))) => frame,
        };
        if let Ok(chunk) = frame.into_data() {
            if data.len() + chunk.len() > max {
                let room = max - data.len();
                data.extend_from_slice(&chunk[..room]);
                return Err(BodyProblem::TooLarge(data.into()));
            }
            data.extend_from_slice(&chunk);
        }
    }
}

/// The `Content-Length` a request declared, if readable.
pub(super) fn content_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok())
}

/// Requires `Content-Type: application/json` (or `application/*+json`) on
/// requests that carry a body (POST, PUT, PATCH): 415 otherwise.
pub async fn require_json(request: Request, next: Next) -> Response {
    let has_body = matches!(
        *request.method(),
        Method::POST | Method::PUT | Method::PATCH
    );
    if has_body && !is_json(request.headers()) {
        return refuse(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::InvalidInput,
            "the request body must be sent with Content-Type: application/json".to_owned(),
        );
    }
    next.run(request).await
}

pub(crate) fn is_json(headers: &HeaderMap) -> bool {
    let Some(value) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}
