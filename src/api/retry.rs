//! When to try a call again, and how long to wait first.
//!
//! The policy (which failures, how many attempts, what deadline) is separate
//! from the backoff arithmetic, as in tower's retry middleware.

use crate::api::Method;
use crate::error::Delivery;
use std::time::{Duration, SystemTime};

/// How failed calls are retried.
///
/// One rule, [`RetryPolicy::is_retryable`], decides both what the runtime
/// retries and the `retryable` flag of the error a step fails with: a
/// failure is retryable when it is transient **and** the request is safe to
/// send again as is. That is: a `GET` on 429, 500, 502, 503, 504, a
/// connection reset or an attempt timeout (a read changes nothing, so a
/// retry cannot duplicate); any method on 429 (Thrive refused it without
/// processing) or when the connection could not be opened (the request
/// provably never reached the server). Other 4xx, untrusted TLS
/// certificates (permanent until someone fixes the host or its
/// certificate), and writes that may have reached Thrive are never retried;
/// a 401 with a bearer token is retried once after renewing the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in total, including the first (1 disables retries). Default 5.
    pub max_attempts: u32,
    /// The first backoff step. Default 200 ms.
    pub base_delay: Duration,
    /// The largest backoff step. A `Retry-After` from Thrive is honoured as
    /// given, unless it would end past the deadline (then the call fails at
    /// once with `rate_limited`). Default 30 s.
    pub max_delay: Duration,
    /// The time budget of a whole call, all attempts and waits included.
    /// Default 120 s.
    pub deadline: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 5,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(30),
            deadline: Duration::from_secs(120),
        }
    }
}

/// Why an attempt failed, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// Thrive answered with this status.
    Status(u16),
    /// The connection could not be opened: nothing was sent.
    Connect,
    /// The connection broke after the request may have been sent.
    Broken,
    /// The attempt timed out after the request may have been sent.
    Timeout,
    /// The server's TLS certificate was not trusted (unknown issuer, wrong
    /// name, expired): nothing was sent, and trying again cannot help.
    Certificate,
}

impl Failure {
    /// What became of the request: [`Delivery::NotSent`] when the
    /// connection could not be opened or its certificate was refused,
    /// [`Delivery::SentNoAnswer`] after a timeout or a broken connection,
    /// [`Delivery::Answered`] for a status.
    pub fn delivery(self) -> Delivery {
        match self {
            Failure::Status(_) => Delivery::Answered,
            Failure::Connect | Failure::Certificate => Delivery::NotSent,
            Failure::Broken | Failure::Timeout => Delivery::SentNoAnswer,
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Returns the policy with `max_attempts` set.
    pub fn with_max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n.max(1);
        self
    }

    /// Whether `failure` of a `method` call may be retried at all: it is
    /// transient and sending the same request again is safe (only a `GET`
    /// is sent again once it may have reached Thrive). The runtime records
    /// the same answer as the failed step's [`Error::is_retryable`].
    ///
    /// [`Error::is_retryable`]: crate::Error::is_retryable
    pub fn is_retryable(&self, method: Method, failure: Failure) -> bool {
        match failure {
            Failure::Status(429) | Failure::Connect => true,
            Failure::Status(500 | 502..=504) | Failure::Broken | Failure::Timeout => {
                method == Method::Get
            }
            Failure::Status(_) | Failure::Certificate => false,
        }
    }

    /// The exponential backoff with full jitter before attempt `attempt + 1`
    /// (`attempt` counts from 1): a random wait in `[0, min(max, base·2^(attempt-1))]`.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let exp = self.base_delay.saturating_mul(
            1u32.checked_shl(attempt.saturating_sub(1).min(20))
                .unwrap_or(u32::MAX),
        );
        let cap = exp.min(self.max_delay);
        let millis = u64::try_from(cap.as_millis()).unwrap_or(u64::MAX);
        Duration::from_millis(rand::random_range(0..=millis))
    }
}

/// Reads a `Retry-After` value: delta seconds or an HTTP date.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_retried() {
        let p = RetryPolicy::default();
        assert!(p.is_retryable(Method::Get, Failure::Status(503)));
        assert!(p.is_retryable(Method::Post, Failure::Status(429)));
        assert!(p.is_retryable(Method::Post, Failure::Connect));
        assert!(!p.is_retryable(Method::Post, Failure::Status(503)));
        assert!(!p.is_retryable(Method::Post, Failure::Broken));
        assert!(p.is_retryable(Method::Get, Failure::Status(500)));
        assert!(!p.is_retryable(Method::Get, Failure::Status(501)));
        assert!(!p.is_retryable(Method::Get, Failure::Status(404)));
        assert!(!p.is_retryable(Method::Delete, Failure::Timeout));
        assert!(!p.is_retryable(Method::Get, Failure::Certificate));
        assert_eq!(Failure::Certificate.delivery(), Delivery::NotSent);
        assert_eq!(Failure::Connect.delivery(), Delivery::NotSent);
        assert_eq!(Failure::Timeout.delivery(), Delivery::SentNoAnswer);
        assert_eq!(Failure::Broken.delivery(), Delivery::SentNoAnswer);
        assert_eq!(Failure::Status(503).delivery(), Delivery::Answered);
    }

    #[test]
    fn backoff_is_capped() {
        let p = RetryPolicy {
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(300),
            ..RetryPolicy::default()
        };
        for attempt in 1..40 {
            assert!(p.backoff(attempt) <= Duration::from_millis(300));
        }
        assert!(p.backoff(1) <= Duration::from_millis(100));
    }

    #[test]
    fn retry_after_forms() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
        assert_eq!(parse_retry_after("7", now), Some(Duration::from_secs(7)));
        let later = httpdate::fmt_http_date(now + Duration::from_secs(5));
        assert_eq!(parse_retry_after(&later, now), Some(Duration::from_secs(5)));
        assert_eq!(parse_retry_after("soon", now), None);
    }
}
