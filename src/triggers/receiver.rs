//! The webhook receiver: what turns Thrive's POST into a stored event.
//!
//! [`Receiver::accept`] is the whole contract, callable from any Rust host
//! with the raw body and headers; the block server's
//! `POST /webhooks/thrive/{subscription}` is a thin adapter over it. In
//! order, a request is refused unless:
//!
//! 1. the subscription is one of the five keys and enabled (404);
//! 2. the body is at most [`ReceiverConfig::max_body_bytes`] (413);
//! 3. when a secret is configured for the subscription, `x-hmac-signature`
//!    is `sha256=<hex>` of the HMAC-SHA256 of the **raw bytes** under it,
//!    compared in constant time (401; nothing is parsed or stored);
//! 4. the body is a JSON object with a string `eventType` and `tenantId`
//!    (400), and the tenant is one the operator configured (403).
//!
//! Then the event is deduplicated on the SHA-256 of the body within
//! [`ReceiverConfig::dedup_window`] (Thrive sends no event id and retries
//! with the same body) and appended to the durable store; only then does
//! [`Receiver::accept`] return [`Ack`], and the HTTP adapter answer 200.

use super::log::{EventLog, now_ms};
use super::routes::{OTHER_EVENT, WebhookRoutes};
use super::store::{Appended, NewEvent, StoreError};
use super::subscription::Subscription;
use hmac::{Hmac, KeyInit, Mac};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

/// The header Thrive signs with: `x-hmac-signature: sha256=<lowercase hex>`.
pub const SIGNATURE_HEADER: &str = "x-hmac-signature";

/// A webhook secret. `Debug` and `Display` never show it.
#[derive(Clone)]
pub struct WebhookSecret(Vec<u8>);

impl WebhookSecret {
    /// Wraps the secret's bytes.
    pub fn new(secret: impl Into<Vec<u8>>) -> Self {
        Self(secret.into())
    }
}

impl fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WebhookSecret(***)")
    }
}

/// The operator's receiver settings. `Debug` never shows secrets.
#[derive(Debug, Clone)]
pub struct ReceiverConfig {
    /// Enabled subscriptions, each with its secret (`None`: Thrive sends
    /// unsigned events for it, and they are accepted).
    pub subscriptions: BTreeMap<Subscription, Option<WebhookSecret>>,
    /// The tenants whose events are accepted. Empty: every event is refused.
    pub tenants: Vec<String>,
    /// The largest body accepted (default 256 KiB).
    pub max_body_bytes: usize,
    /// The same body within this window is acknowledged and not stored
    /// again (default 24 h: Thrive's retries stay well inside it).
    pub dedup_window: Duration,
}

impl Default for ReceiverConfig {
    fn default() -> Self {
        Self {
            subscriptions: BTreeMap::new(),
            tenants: Vec::new(),
            max_body_bytes: 256 * 1024,
            dedup_window: Duration::from_secs(24 * 3600),
        }
    }
}

impl ReceiverConfig {
    /// Settings accepting events of `tenant`, no subscription enabled yet.
    pub fn for_tenant(tenant: impl Into<String>) -> Self {
        Self {
            tenants: vec![tenant.into()],
            ..Self::default()
        }
    }

    /// Enables `subscription`, signed with `secret` when given.
    pub fn subscription(mut self, subscription: Subscription, secret: Option<&str>) -> Self {
        self.subscriptions.insert(
            subscription,
            secret.map(|s| WebhookSecret::new(s.as_bytes())),
        );
        self
    }

    /// Enables all five subscriptions, each with the secret from its
    /// `THRIVE_WEBHOOK_SECRET_<SUBSCRIPTION>` variable, or else from
    /// `THRIVE_WEBHOOK_SECRET`, or unsigned.
    pub fn all_subscriptions_from_env(mut self) -> Self {
        let shared = std::env::var("THRIVE_WEBHOOK_SECRET")
            .ok()
            .filter(|s| !s.is_empty());
        for sub in Subscription::ALL {
            let secret = std::env::var(sub.secret_env())
                .ok()
                .filter(|s| !s.is_empty())
                .or_else(|| shared.clone());
            self.subscriptions
                .insert(sub, secret.map(|s| WebhookSecret::new(s.into_bytes())));
        }
        self
    }
}

/// A successful receipt: the event is durable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Ack {
    /// The event's cursor (for a duplicate, the earlier event's).
    pub cursor: u64,
    /// Whether the same body had been received within the window.
    pub duplicate: bool,
}

/// Why a request was refused. Messages never contain the body or a secret.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReceiveError {
    /// The subscription key is unknown or not enabled.
    #[error("{0}")]
    UnknownSubscription(String),
    /// The body is larger than the configured limit.
    #[error("the body is {size} bytes; at most {limit} are accepted")]
    TooLarge {
        /// The body's size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// A secret is configured and the signature header is missing.
    #[error("the x-hmac-signature header is missing")]
    MissingSignature,
    /// The signature does not match the body.
    #[error("the x-hmac-signature does not match the body")]
    BadSignature,
    /// The body is not a Thrive event.
    #[error("{0}")]
    BadEvent(String),
    /// The tenant is not one the operator configured.
    #[error("events of this tenant are not accepted")]
    UnknownTenant,
    /// The store failed; nothing was acknowledged (Thrive will retry).
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ReceiveError {
    /// The HTTP status to answer with.
    pub fn status(&self) -> u16 {
        match self {
            Self::UnknownSubscription(_) => 404,
            Self::TooLarge { .. } => 413,
            Self::MissingSignature | Self::BadSignature => 401,
            Self::BadEvent(_) => 400,
            Self::UnknownTenant => 403,
            Self::Store(_) => 503,
        }
    }
}

/// Verifies, deduplicates and durably stores Thrive's webhook events.
#[derive(Debug, Clone)]
pub struct Receiver {
    config: std::sync::Arc<ReceiverConfig>,
    routes: std::sync::Arc<WebhookRoutes>,
    log: EventLog,
}

impl Receiver {
    /// A receiver writing to `log`, filing each event under the trigger
    /// `routes` names for it.
    pub fn new(config: ReceiverConfig, log: EventLog, routes: WebhookRoutes) -> Self {
        Self {
            config: std::sync::Arc::new(config),
            routes: std::sync::Arc::new(routes),
            log,
        }
    }

    /// The log events are appended to.
    pub fn log(&self) -> &EventLog {
        &self.log
    }

    /// The settings.
    pub fn config(&self) -> &ReceiverConfig {
        &self.config
    }

    /// Accepts one delivery: `subscription` is the key from the URL,
    /// `headers` the request headers, `body` the raw bytes. Returns once the
    /// event is durable (or recognised as a duplicate).
    pub async fn accept(
        &self,
        subscription: &str,
        headers: &http::HeaderMap,
        body: &[u8],
    ) -> Result<Ack, ReceiveError> {
        let event = self.verify(subscription, headers, body)?;
        let appended = self
            .log
            .append(event, self.config.dedup_window.as_millis() as i64)
            .await?;
        if let Appended::Duplicate(cursor) = appended {
            tracing::debug!(cursor, "webhook: duplicate body acknowledged, not stored");
        }
        Ok(Ack {
            cursor: appended.cursor(),
            duplicate: matches!(appended, Appended::Duplicate(_)),
        })
    }

    /// Every check of [`Receiver::accept`] before the store: the event to
    /// append, or why not.
    pub fn verify(
        &self,
        subscription: &str,
        headers: &http::HeaderMap,
        body: &[u8],
    ) -> Result<NewEvent, ReceiveError> {
        let sub: Subscription = subscription
            .parse()
            .map_err(ReceiveError::UnknownSubscription)?;
        let secret = self.config.subscriptions.get(&sub).ok_or_else(|| {
            ReceiveError::UnknownSubscription(format!("the subscription {sub} is not enabled"))
        })?;
        if body.len() > self.config.max_body_bytes {
            return Err(ReceiveError::TooLarge {
                size: body.len(),
                limit: self.config.max_body_bytes,
            });
        }
        if let Some(secret) = secret {
            let header = headers
                .get(SIGNATURE_HEADER)
                .ok_or(ReceiveError::MissingSignature)?;
            verify_signature(secret, header.as_bytes(), body)?;
        }
        let text = std::str::from_utf8(body)
            .map_err(|_| ReceiveError::BadEvent("the body is not UTF-8".into()))?;
        let value: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| ReceiveError::BadEvent(format!("the body is not JSON: {e}")))?;
        let field = |name: &str| {
            value
                .get(name)
                .and_then(serde_json::Value::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .ok_or_else(|| ReceiveError::BadEvent(format!("{name} must be a non-empty string")))
        };
        let event_type = field("eventType")?;
        let tenant_id = field("tenantId")?;
        if !self.config.tenants.contains(&tenant_id) {
            return Err(ReceiveError::UnknownTenant);
        }
        let routed = self.routes.route(sub, &event_type);
        let trigger = routed.map_or(OTHER_EVENT, |t| t.trigger_meta().id);
        if let Some(t) = routed
            && let Err(problem) = t.check_payload(&value)
        {
            // Never lost: stored as sent, delivered under its trigger.
            tracing::warn!(trigger, %event_type, problem, "webhook: payload differs from the documented shape");
        }
        Ok(NewEvent {
            source: sub.key().to_owned(),
            trigger: trigger.to_owned(),
            event_type,
            tenant_id,
            body_sha256: Sha256::digest(body).into(),
            received_at_ms: now_ms(),
            body: text.to_owned(),
        })
    }
}

/// Checks `sha256=<hex>` against the HMAC-SHA256 of `body`, in constant time.
fn verify_signature(
    secret: &WebhookSecret,
    header: &[u8],
    body: &[u8],
) -> Result<(), ReceiveError> {
    let hex_sig = header
        .strip_prefix(b"sha256=")
        .ok_or(ReceiveError::BadSignature)?;
    let expected = hex::decode(hex_sig).map_err(|_| ReceiveError::BadSignature)?;
    let mut mac =
        Hmac::<Sha256>::new_from_slice(&secret.0).map_err(|_| ReceiveError::BadSignature)?;
    mac.update(body);
    mac.verify_slice(&expected)
        .map_err(|_| ReceiveError::BadSignature)
}

/// The `x-hmac-signature` value for `body` under `secret`:
/// `sha256=<lowercase hex>`. For senders and tests.
pub fn sign(secret: &[u8], body: &[u8]) -> String {
    // HMAC accepts keys of any length; this cannot fail.
    let mut mac = match Hmac::<Sha256>::new_from_slice(secret) {
        Ok(mac) => mac,
        Err(_) => return String::new(),
    };
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}
