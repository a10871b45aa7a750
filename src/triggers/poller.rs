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
use super::poll::{DynPolled, PolledItem};
use super::store::NewEvent;
use super::{DynTrigger, TriggerFilters};
use crate::api::Context;
use crate::error::{Error, ErrorCode, Result};
use crate::params::Connection;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::time::Duration;

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
