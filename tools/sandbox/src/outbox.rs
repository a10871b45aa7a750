//! The webhook outbox: where events go (the targets per subscription), the
//! queue they wait in, the task that POSTs them with retries, and the
//! delivery counters. Which state changes emit which events is decided in
//! `webhooks`; the delivery rules are described there.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use hmac::{Hmac, KeyInit, Mac};
use serde_json::Value;
use sha2::Sha256;
use tokio::sync::mpsc;

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

impl Webhooks {
    /// Starts sending events per `config` (replacing earlier settings).
    /// Must be called inside a Tokio runtime; events are sent by a task on it.
    pub(crate) fn configure(&self, config: WebhookConfig) {
        let config = Arc::new(config);
        *lock(&self.config) = Some(config.clone());
        let (tx, rx) = mpsc::unbounded_channel();
        *lock(&self.sender) = Some(tx);
        match tokio::runtime::Handle::try_current() {
            Ok(handle) => {
                handle.spawn(sender_task(rx, config, self.stats.clone()));
            }
            Err(_) => tracing::warn!(
                "sandbox: set_webhooks outside a Tokio runtime; nothing will be sent"
            ),
        }
    }

    /// Stops sending events.
    pub(crate) fn clear(&self) {
        *lock(&self.sender) = None;
        *lock(&self.config) = None;
    }

    /// The delivery counters.
    pub(crate) fn stats(&self) -> WebhookStats {
        *lock(&self.stats)
    }

    /// Whether any webhook settings are in force.
    pub(crate) fn is_on(&self) -> bool {
        lock(&self.config).is_some()
    }

    /// Queues `event` on `subscription` if a target is configured for it.
    pub(crate) fn emit(&self, subscription: &'static str, event: Value) {
        let configured = lock(&self.config)
            .as_ref()
            .is_some_and(|c| c.targets.contains_key(subscription));
        if !configured {
            return;
        }
        if let Some(tx) = lock(&self.sender).as_ref() {
            lock(&self.stats).emitted += 1;
            let _ = tx.send(Outgoing {
                subscription,
                body: event.to_string(),
            });
        }
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
