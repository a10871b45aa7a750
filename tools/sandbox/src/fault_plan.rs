//! The fault plan: the fault settings in force, their random stream and
//! the queue of one-shot faults, and what each decides for a request. The
//! gateway that applies the decisions to HTTP traffic is in `faults`.

use std::collections::VecDeque;

use axum::http::{HeaderValue, StatusCode, header};

use crate::config::Faults;
use crate::error::ApiError;
use crate::rng::Rng;

/// A fault for exactly one upcoming affected request, queued with
/// [`crate::Sandbox::queue_faults`]. Queued faults are used before the
/// rate-based ones and do not consume the random stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OneShotFault {
    /// `429 Too Many Requests` with `Retry-After: <secs>`.
    TooManyRequests {
        /// The `Retry-After` value in seconds.
        retry_after_secs: u64,
    },
    /// An error answer with this status (e.g. 500, 502, 503) and the Thrive
    /// error body.
    Status(u16),
    /// Close the connection without a response.
    Drop,
}

/// What the gateway does with one request.
#[derive(Clone, Debug)]
pub(crate) enum Decision {
    /// Handle normally.
    Pass,
    /// Answer with this injected error.
    Fail(ApiError),
    /// Close the connection without a response.
    Drop,
}

/// The live fault settings, their random stream and the one-shot queue.
#[derive(Debug)]
pub(crate) struct FaultState {
    pub faults: Faults,
    rng: Rng,
    queue: VecDeque<OneShotFault>,
}

fn too_many(retry_after_secs: u64) -> ApiError {
    let value = HeaderValue::from_str(&retry_after_secs.to_string())
        .unwrap_or_else(|_| HeaderValue::from_static("1"));
    ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        format!("Rate limit exceeded; retry after {retry_after_secs} second(s)"),
    )
    .with_header(header::RETRY_AFTER, value)
}

pub(crate) fn server_error(status: u16) -> ApiError {
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    ApiError::new(
        code,
        format!(
            "{} (injected by the sandbox)",
            crate::error::reason_phrase(code.as_u16())
        ),
    )
}

impl FaultState {
    /// Settings `faults`, random stream from `seed`.
    pub(crate) fn new(faults: Faults, seed: u64) -> Self {
        FaultState {
            faults,
            rng: Rng::new(seed, 0xFA17),
            queue: VecDeque::new(),
        }
    }

    /// Queues one-shot faults.
    pub(crate) fn enqueue(&mut self, faults: impl IntoIterator<Item = OneShotFault>) {
        self.queue.extend(faults);
    }

    /// Forgets queued one-shot faults.
    pub(crate) fn clear_queue(&mut self) {
        self.queue.clear();
    }

    /// Decides the fate of one affected request.
    pub(crate) fn decide(&mut self) -> Decision {
        if let Some(one) = self.queue.pop_front() {
            return match one {
                OneShotFault::TooManyRequests { retry_after_secs } => {
                    Decision::Fail(too_many(retry_after_secs))
                }
                OneShotFault::Status(code) => Decision::Fail(server_error(code)),
                OneShotFault::Drop => Decision::Drop,
            };
        }
        let f = self.faults;
        if self.rng.chance(f.rate_drop) {
            return Decision::Drop;
        }
        if self.rng.chance(f.rate_429) {
            return Decision::Fail(too_many(f.retry_after_secs));
        }
        if self.rng.chance(f.rate_5xx) {
            let code = *self.rng.pick(&[500u16, 502, 503]);
            return Decision::Fail(server_error(code));
        }
        Decision::Pass
    }
}
