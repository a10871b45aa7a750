//! Polling triggers: what Thrive does not push, read on an interval with a
//! cursor that survives restarts.
//!
//! Each poll calls the trigger's tool by type ([`crate::call::call_all`],
//! every page, so paging, retries with backoff and the per-tenant 429 gate
//! apply), from the cursor's timestamp (inclusive). An item is new when
//! its change time is after the cursor's, or equal to it with an id not yet
//! seen at that instant. The new events and the advanced cursor are written
//! in **one** transaction ([`EventStore::append_polled`]), so a crash
//! between polls neither repeats nor skips an item.
//!
//! Timestamps are compared as text: Thrive writes each field in one fixed
//! format (ISO 8601 in UTC, or `YYYY-MM-DD hh:mm:ss` for CPD entries), so
//! text order is time order.
//!
//! [`EventStore::append_polled`]: super::EventStore::append_polled

use super::log::{EventLog, format_ms, now_ms};
use super::payloads::PolledEvent;
use super::store::NewEvent;
use super::{DynTrigger, ErasedTrigger, Trigger, TriggerFilters, TriggerMeta};
use crate::api::Context;
use crate::block::{Block, DynBlock};
use crate::call::BoxFuture;
use crate::error::{Error, ErrorCode, Result};
use crate::params::Connection;
use crate::tool::Tool;
use crate::wire::ToolMeta;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};
use std::time::Duration;

/// One item a poll read: its id, its change time (the polled tool's date
/// format) and the item as Thrive sent it (the event's `item`).
#[derive(Debug, Clone, PartialEq)]
pub struct PolledItem {
    /// The item's id.
    pub id: String,
    /// When it last changed.
    pub at: String,
    /// The item, every field Thrive sent.
    pub item: Map<String, Value>,
}

impl PolledItem {
    /// The item of a typed record with `id` and `at`, or `None` when either
    /// is missing (an item without them cannot be placed on the cursor).
    pub fn of(id: Option<&String>, at: Option<&String>, record: &impl Serialize) -> Option<Self> {
        let Ok(Value::Object(item)) = serde_json::to_value(record) else {
            return None;
        };
        Some(Self {
            id: id?.clone(),
            at: at?.clone(),
            item,
        })
    }
}

/// A trigger that polls a tool: the typed tool it calls, the params of one
/// poll from a cursor time, and the items of the tool's output.
pub trait Polled: Trigger {
    /// The tool polled (called with `returnAll`).
    type Tool: Tool;
    /// Whether the tool writes times as `YYYY-MM-DD hh:mm:ss` (CPD) rather
    /// than ISO 8601, for the cursor's starting point.
    const SPACE_DATE: bool = false;
    /// The params of one poll of everything changed at or after `from`.
    /// `Err` names a filter the trigger requires and the user left out.
    fn params(filters: &TriggerFilters, from: &str) -> Result<<Self::Tool as Block>::Params>;
    /// The items of the tool's output.
    fn items(output: <Self::Tool as Block>::Output) -> Vec<PolledItem>;
    /// Whether a new item starts the trigger (the cursor passes it either
    /// way). Default: every new item.
    fn keep(_filters: &TriggerFilters, _item: &PolledItem) -> bool {
        true
    }
}

/// The object-safe form of a [`Polled`] trigger: one poll's items.
pub trait DynPolled: Send + Sync {
    /// Checks the filters before a poller starts.
    fn check(&self, filters: &TriggerFilters) -> Result<()>;
    /// Reads every item changed at or after `from`, typed through the tool.
    fn poll<'a>(
        &'a self,
        ctx: &'a Context,
        connection: &'a Connection,
        filters: &'a TriggerFilters,
        from: &'a str,
    ) -> BoxFuture<'a, Result<Vec<PolledItem>>>;
    /// See [`Polled::keep`].
    fn keep(&self, filters: &TriggerFilters, item: &PolledItem) -> bool;
    /// See [`Polled::SPACE_DATE`].
    fn space_date(&self) -> bool;
}

/// Adapts a [`Polled`] trigger to [`DynTrigger`] and [`DynPolled`].
pub struct ErasedPolled<T>(std::marker::PhantomData<fn() -> T>);

impl<T> ErasedPolled<T> {
    /// The adapter value (zero-sized).
    pub const NEW: Self = Self(std::marker::PhantomData);
}

impl<T: Polled> DynBlock for ErasedPolled<T> {
    fn meta(&self) -> ToolMeta {
        ErasedTrigger::<T>::NEW.meta()
    }

    fn params_schema(&self) -> Value {
        ErasedTrigger::<T>::NEW.params_schema()
    }

    fn output_schema(&self) -> Value {
        ErasedTrigger::<T>::NEW.output_schema()
    }
}

impl<T: Polled> DynTrigger for ErasedPolled<T> {
    fn trigger_meta(&self) -> TriggerMeta {
        ErasedTrigger::<T>::NEW.trigger_meta()
    }

    fn check_payload(&self, payload: &Value) -> std::result::Result<(), String> {
        ErasedTrigger::<T>::NEW.check_payload(payload)
    }

    fn polling(&self) -> Option<&dyn DynPolled> {
        Some(self)
    }
}

impl<T: Polled> DynPolled for ErasedPolled<T> {
    fn check(&self, filters: &TriggerFilters) -> Result<()> {
        T::params(filters, "").map(|_| ())
    }

    fn poll<'a>(
        &'a self,
        ctx: &'a Context,
        connection: &'a Connection,
        filters: &'a TriggerFilters,
        from: &'a str,
    ) -> BoxFuture<'a, Result<Vec<PolledItem>>> {
        Box::pin(async move {
            let params = T::params(filters, from)?;
            let output = crate::call::call_all::<T::Tool>(ctx, connection, &params).await?;
            Ok(T::items(output))
        })
    }

    fn keep(&self, filters: &TriggerFilters, item: &PolledItem) -> bool {
        T::keep(filters, item)
    }

    fn space_date(&self) -> bool {
        T::SPACE_DATE
    }
}

/// What to poll: a polling trigger, the connection, the user's filters.
/// `Debug` never shows the connection (it holds the API key).
#[derive(Clone)]
pub struct PollSpec {
    /// The polling trigger's id, e.g. `thrive_on_enrolment_status_changed`.
    pub trigger: String,
    /// Where to poll and as whom.
    pub connection: Connection,
    /// The user's filters (e.g. `assignmentId`, `statuses`).
    pub filters: TriggerFilters,
    /// Time between polls.
    pub interval: Duration,
    /// Where a new cursor starts (the tool's date format); default: now.
    pub start: Option<String>,
}

impl std::fmt::Debug for PollSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PollSpec")
            .field("trigger", &self.trigger)
            .field("filters", &self.filters)
            .field("interval", &self.interval)
            .field("start", &self.start)
            .finish_non_exhaustive()
    }
}

/// The persisted position of one poller.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct Cursor {
    /// The latest change time seen.
    at: String,
    /// Ids seen with exactly that change time.
    ids: Vec<String>,
}

/// Polls one trigger into an [`EventLog`].
pub struct Poller {
    spec: PollSpec,
    trigger: &'static dyn DynTrigger,
    polled: &'static dyn DynPolled,
    ctx: Context,
    log: EventLog,
}

impl std::fmt::Debug for Poller {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Poller")
            .field("spec", &self.spec)
            .finish_non_exhaustive()
    }
}

impl Poller {
    /// A poller of `trigger` (from [`CatalogueTrigger::dyn_trigger`]) for
    /// `spec`; refuses a trigger that does not poll and filters it cannot
    /// poll with (a missing `assignmentId` for enrolments).
    ///
    /// [`CatalogueTrigger::dyn_trigger`]: crate::catalogue::CatalogueTrigger::dyn_trigger
    pub fn new(
        spec: PollSpec,
        trigger: &'static dyn DynTrigger,
        ctx: Context,
        log: EventLog,
    ) -> Result<Self> {
        let id = trigger.trigger_meta().id;
        let Some(polled) = trigger.polling() else {
            return Err(Error::field(
                "/trigger",
                format!("{id:?} is not a polling trigger"),
            ));
        };
        polled.check(&spec.filters)?;
        Ok(Self {
            spec,
            trigger,
            polled,
            ctx,
            log,
        })
    }

    /// The name the cursor is stored under: trigger, tenant and assignment.
    pub fn cursor_name(&self) -> String {
        format!(
            "poll:{}:{}:{}",
            self.spec.trigger,
            self.spec.connection.tenant_id,
            self.spec.filters.assignment_id.as_deref().unwrap_or("")
        )
    }

    fn start_time(&self) -> String {
        if let Some(start) = &self.spec.start {
            return start.clone();
        }
        let now = format_ms(now_ms());
        if self.polled.space_date() {
            // `YYYY-MM-DD hh:mm:ss`
            now[..19].replace('T', " ")
        } else {
            now
        }
    }

    /// Polls once: returns how many new events were appended.
    pub async fn poll_once(&self) -> Result<usize> {
        let name = self.cursor_name();
        let store = self.log.store().clone();
        let lookup = name.clone();
        let saved = tokio::task::spawn_blocking(move || store.cursor(&lookup))
            .await
            .map_err(|e| Error::new(ErrorCode::Transport, format!("store task failed: {e}")))?
            .map_err(store_error)?;
        let mut cursor = match saved {
            Some(text) => serde_json::from_str::<Cursor>(&text).map_err(|e| {
                Error::new(
                    ErrorCode::InvalidResponse,
                    format!("stored cursor {name} is unreadable: {e}"),
                )
            })?,
            None => Cursor {
                at: self.start_time(),
                ids: Vec::new(),
            },
        };
        let items = self
            .polled
            .poll(
                &self.ctx,
                &self.spec.connection,
                &self.spec.filters,
                &cursor.at,
            )
            .await?;
        let tenant = &self.spec.connection.tenant_id;
        let mut fresh: Vec<PolledItem> = items
            .into_iter()
            .filter(|i| {
                let seen = i.at < cursor.at || (i.at == cursor.at && cursor.ids.contains(&i.id));
                !seen
            })
            .collect();
        fresh.sort_by(|a, b| (&a.at, &a.id).cmp(&(&b.at, &b.id)));
        // Advance the cursor over everything new, matching the filters or not.
        for item in &fresh {
            if item.at > cursor.at {
                cursor.at = item.at.clone();
                cursor.ids.clear();
            }
            if item.at == cursor.at && !cursor.ids.contains(&item.id) {
                cursor.ids.push(item.id.clone());
            }
        }
        let event_type = self
            .trigger
            .trigger_meta()
            .event_types
            .first()
            .copied()
            .unwrap_or_default();
        let now = now_ms();
        let mut events = Vec::new();
        for item in fresh {
            if !self.polled.keep(&self.spec.filters, &item) {
                continue;
            }
            let payload = PolledEvent {
                event_type: event_type.into(),
                tenant_id: tenant.clone(),
                item_id: item.id,
                changed_at: item.at,
                item: item.item,
            };
            let payload_json = serde_json::to_value(&payload)
                .map_err(|e| Error::new(ErrorCode::InvalidResponse, e.to_string()))?;
            if !self.spec.filters.matches(event_type, &payload_json) {
                continue;
            }
            let body = payload_json.to_string();
            events.push(NewEvent {
                source: self.spec.trigger.clone(),
                trigger: self.spec.trigger.clone(),
                event_type: event_type.into(),
                tenant_id: tenant.clone(),
                body_sha256: Sha256::digest(body.as_bytes()).into(),
                received_at_ms: now,
                body,
            });
        }
        let count = events.len();
        let value = json!(cursor).to_string();
        self.log
            .append_polled(events, name, value)
            .await
            .map_err(store_error)?;
        Ok(count)
    }

    /// Polls every [`PollSpec::interval`] until `shutdown` completes. A
    /// failed poll is logged and retried at the next interval (the cursor
    /// did not move, so nothing is skipped).
    pub async fn run(self, shutdown: impl std::future::Future<Output = ()>) {
        tokio::pin!(shutdown);
        loop {
            match self.poll_once().await {
                Ok(n) if n > 0 => tracing::info!(trigger = %self.spec.trigger, new = n, "poll"),
                Ok(_) => {}
                Err(e) => tracing::warn!(trigger = %self.spec.trigger, error = %e, "poll failed"),
            }
            tokio::select! {
                () = &mut shutdown => return,
                () = tokio::time::sleep(self.spec.interval) => {}
            }
        }
    }
}

fn store_error(e: super::StoreError) -> Error {
    Error::new(ErrorCode::Transport, e.to_string())
}
