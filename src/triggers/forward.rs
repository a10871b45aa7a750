//! Forwarding: POST every event to a host URL (e.g. a Node-RED or n8n
//! webhook node), retried with backoff until it is answered 2xx, then
//! acknowledged under its own consumer name, so delivery is at least once
//! and survives restarts.

use super::log::EventLog;
use super::store::StoreError;
use std::time::Duration;

/// Forwards the log's events to one URL.
#[derive(Debug, Clone)]
pub struct Forwarder {
    url: String,
    consumer: String,
    client: reqwest::Client,
    first_backoff: Duration,
    max_backoff: Duration,
}

impl Forwarder {
    /// A forwarder to `url` (consumer name `forward:<url>`), with a 30 s
    /// timeout per POST and backoff from 500 ms doubling to 60 s.
    pub fn new(url: impl Into<String>) -> Self {
        let url = url.into();
        Self {
            consumer: format!("forward:{url}"),
            url,
            client: reqwest::Client::builder()
                .timeout(Duration::from_secs(30))
                .build()
                .unwrap_or_default(),
            first_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(60),
        }
    }

    /// Returns the forwarder with another first backoff (doubled per retry).
    pub fn with_backoff(mut self, first: Duration, max: Duration) -> Self {
        self.first_backoff = first;
        self.max_backoff = max;
        self
    }

    /// The consumer name its acknowledgements are stored under.
    pub fn consumer(&self) -> &str {
        &self.consumer
    }

    /// Forwards events after the last acknowledgement, forever. Each event
    /// is POSTed as its delivery envelope (`Delivery::to_json`) until a 2xx
    /// answer, then acknowledged. Returns only when the store fails.
    pub async fn run(self, log: EventLog) -> Result<(), StoreError> {
        let mut stream = log.stream(&self.consumer, None).await?;
        loop {
            let Some(delivery) = stream.next().await? else {
                return Ok(());
            };
            let body = delivery.to_json();
            let mut backoff = self.first_backoff;
            loop {
                match self
                    .client
                    .post(&self.url)
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .body(serde_json::to_vec(&body).unwrap_or_default())
                    .send()
                    .await
                {
                    Ok(r) if r.status().is_success() => break,
                    Ok(r) => tracing::warn!(
                        cursor = delivery.cursor(),
                        status = r.status().as_u16(),
                        "forward refused; retrying"
                    ),
                    Err(e) => {
                        tracing::warn!(cursor = delivery.cursor(), error = %e, "forward failed; retrying")
                    }
                }
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(self.max_backoff);
            }
            stream.ack(&delivery).await?;
        }
    }
}
