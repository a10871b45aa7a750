//! The event log: an [`EventStore`] shared by the receiver, the pollers and
//! every consumer, with a wake-up for waiting readers.
//!
//! Delivery is at least once: a consumer reads from a cursor, processes the
//! events, and acknowledges the last one it finished. After a crash it
//! resumes from its last acknowledgement, so an event may be seen twice but
//! never lost.

use super::store::{Appended, EventStore, NewEvent, StoreError, StoredEvent};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

/// How often a waiting reader looks at the store even without a wake-up
/// (another process may be writing to the same file).
const RECHECK: Duration = Duration::from_millis(200);

pub(crate) use crate::clock::{format_ms, now_ms};

/// One event as delivered to a workflow.
#[derive(Debug, Clone, PartialEq)]
pub struct DeliveredEvent {
    /// The stored event.
    pub event: StoredEvent,
}

impl DeliveredEvent {
    /// The event's cursor: acknowledge it when done.
    pub fn cursor(&self) -> u64 {
        self.event.cursor
    }

    /// The payload as sent (a JSON object), or the text as a string if it
    /// somehow is not JSON.
    pub fn payload(&self) -> Value {
        serde_json::from_str(&self.event.body)
            .unwrap_or_else(|_| Value::String(self.event.body.clone()))
    }

    /// The payload read as a trigger's typed payload, e.g.
    /// [`CompletionEvent`](super::payloads::CompletionEvent).
    pub fn payload_as<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_str(&self.event.body)
    }

    /// The delivery envelope every host prints:
    /// `{cursor, trigger, source, eventType, tenantId, receivedAt, payload}`.
    pub fn to_json(&self) -> Value {
        let e = &self.event;
        json!({
            "cursor": e.cursor,
            "trigger": e.trigger,
            "source": e.source,
            "eventType": e.event_type,
            "tenantId": e.tenant_id,
            "receivedAt": format_ms(e.received_at_ms),
            "payload": self.payload(),
        })
    }
}

/// The shared log. Cheap to clone.
#[derive(Clone)]
pub struct EventLog {
    store: Arc<dyn EventStore>,
    latest: Arc<watch::Sender<u64>>,
}

impl std::fmt::Debug for EventLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventLog")
            .field("latest", &*self.latest.borrow())
            .finish()
    }
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| StoreError::new(format!("store task failed: {e}")))?
}

impl EventLog {
    /// A log over `store`.
    pub fn new(store: impl EventStore) -> Result<Self, StoreError> {
        Self::from_arc(Arc::new(store))
    }

    /// A log over a shared store.
    pub fn from_arc(store: Arc<dyn EventStore>) -> Result<Self, StoreError> {
        let last = store.last_cursor()?;
        Ok(Self {
            store,
            latest: Arc::new(watch::Sender::new(last)),
        })
    }

    /// The store.
    pub fn store(&self) -> &Arc<dyn EventStore> {
        &self.store
    }

    /// Appends (deduplicating within `dedup_window_ms`) and wakes readers.
    pub async fn append(
        &self,
        event: NewEvent,
        dedup_window_ms: i64,
    ) -> Result<Appended, StoreError> {
        let store = self.store.clone();
        let appended = blocking(move || store.append(&event, dedup_window_ms)).await?;
        if let Appended::Stored(c) = appended {
            self.advance(c);
        }
        Ok(appended)
    }

    /// Tells waiting readers the log now reaches cursor `c` (only ever
    /// forward: appends finishing out of order cannot move it back).
    fn advance(&self, c: u64) {
        self.latest.send_if_modified(|l| {
            let bigger = c > *l;
            if bigger {
                *l = c;
            }
            bigger
        });
    }

    /// Appends a polling batch with its cursor in one transaction.
    pub async fn append_polled(
        &self,
        events: Vec<NewEvent>,
        cursor_name: String,
        cursor_value: String,
    ) -> Result<Vec<u64>, StoreError> {
        let store = self.store.clone();
        let cursors =
            blocking(move || store.append_polled(&events, &cursor_name, &cursor_value)).await?;
        if let Some(&c) = cursors.iter().max() {
            self.advance(c);
        }
        Ok(cursors)
    }

    /// Up to `limit` events after `after`; when there are none, waits up to
    /// `wait` for one (a long poll).
    pub async fn read(
        &self,
        after: u64,
        limit: usize,
        wait: Duration,
    ) -> Result<Vec<DeliveredEvent>, StoreError> {
        let deadline = tokio::time::Instant::now() + wait;
        let mut rx = self.latest.subscribe();
        loop {
            let store = self.store.clone();
            let events = blocking(move || store.read_after(after, limit)).await?;
            if !events.is_empty() {
                return Ok(events
                    .into_iter()
                    .map(|event| DeliveredEvent { event })
                    .collect());
            }
            let now = tokio::time::Instant::now();
            if now >= deadline {
                return Ok(Vec::new());
            }
            let nap = (deadline - now).min(RECHECK);
            let _ = tokio::time::timeout(nap, rx.changed()).await;
        }
    }

    /// Records that `consumer` processed every event up to `cursor`.
    pub async fn ack(&self, consumer: &str, cursor: u64) -> Result<(), StoreError> {
        let store = self.store.clone();
        let consumer = consumer.to_owned();
        blocking(move || store.ack(&consumer, cursor)).await
    }

    /// A stream for `consumer`, starting after `from` or, when `None`,
    /// after the consumer's last acknowledgement.
    pub async fn stream(
        &self,
        consumer: &str,
        from: Option<u64>,
    ) -> Result<EventStream, StoreError> {
        let position = match from {
            Some(c) => c,
            None => {
                let store = self.store.clone();
                let name = consumer.to_owned();
                blocking(move || store.acked(&name)).await?
            }
        };
        Ok(EventStream {
            log: self.clone(),
            consumer: consumer.to_owned(),
            position,
            buffer: std::collections::VecDeque::new(),
        })
    }
}

/// An at-least-once stream of events for one named consumer: take events
/// with [`EventStream::next`], acknowledge with [`EventStream::ack`]. A new
/// stream for the same consumer resumes after the last acknowledgement.
///
/// ```no_run
/// # async fn demo(log: thrive_blocks::triggers::EventLog) -> Result<(), thrive_blocks::triggers::StoreError> {
/// let mut events = log.stream("my-workflow", None).await?;
/// while let Some(delivery) = events.next().await? {
///     println!("{}", delivery.to_json());  // start the workflow...
///     events.ack(&delivery).await?;         // ...then acknowledge
/// }
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct EventStream {
    log: EventLog,
    consumer: String,
    position: u64,
    buffer: std::collections::VecDeque<DeliveredEvent>,
}

impl EventStream {
    /// The next event, waiting for one as long as it takes. `Ok(None)` is
    /// never returned today; it is reserved for a closed log.
    pub async fn next(&mut self) -> Result<Option<DeliveredEvent>, StoreError> {
        loop {
            if let Some(d) = self.buffer.pop_front() {
                self.position = d.cursor();
                return Ok(Some(d));
            }
            let batch = self
                .log
                .read(self.position, 256, Duration::from_secs(30))
                .await?;
            self.buffer.extend(batch);
        }
    }

    /// Acknowledges `delivery` (and everything before it) durably.
    pub async fn ack(&mut self, delivery: &DeliveredEvent) -> Result<(), StoreError> {
        self.log.ack(&self.consumer, delivery.cursor()).await
    }

    /// The cursor of the last event taken.
    pub fn position(&self) -> u64 {
        self.position
    }
}
