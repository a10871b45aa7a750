//! Polling triggers: what Thrive does not push, read on an interval with a
//! cursor that survives restarts.
//!
//! Each poll calls the trigger's tool through [`Catalogue::execute`] with
//! `returnAll: true` (so paging, retries with backoff and the per-tenant 429
//! gate apply), from the cursor's timestamp (inclusive). An item is new when
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
use super::{Trigger, TriggerFilters, TriggerSource};
use crate::api::Context;
use crate::catalogue::Catalogue;
use crate::error::{Error, ErrorCode, Result};
use crate::register_trigger;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};
use std::time::Duration;

/// When an enrolment of an assignment changes to a watched status.
pub struct OnEnrolmentStatusChanged;
impl Trigger for OnEnrolmentStatusChanged {
    type Payload = PolledEvent;
    const ID: &'static str = "thrive_on_enrolment_status_changed";
    const TITLE: &'static str = "When an enrolment becomes overdue or complete";
    const DESCRIPTION: &'static str = "Polls an assignment's enrolments (updatedAtFrom) and starts for each one that changed to a watched status (default overdue and complete).";
    const EVENT_TYPES: &'static [&'static str] = &["poll.enrolment.status_changed"];
    const SOURCE: TriggerSource = TriggerSource::Polling {
        tool: "thrive_list_enrolments",
        cursor: "the latest enrolment updatedAt seen, with the ids seen at that instant",
    };
    const FILTERS: &'static [&'static str] = &["assignmentId", "statuses"];
}
register_trigger!(OnEnrolmentStatusChanged);

/// When a completion is recorded.
pub struct OnCompletionRecorded;
impl Trigger for OnCompletionRecorded {
    type Payload = PolledEvent;
    const ID: &'static str = "thrive_on_completion_recorded";
    const TITLE: &'static str = "When a completion is recorded (polling)";
    const DESCRIPTION: &'static str = "Polls completions by completed date and starts for each new one; use where the completion webhook is not configured.";
    const EVENT_TYPES: &'static [&'static str] = &["poll.completion.created"];
    const SOURCE: TriggerSource = TriggerSource::Polling {
        tool: "thrive_list_completions",
        cursor: "the latest completedAt seen, with the ids seen at that instant",
    };
    const FILTERS: &'static [&'static str] = &["contentIds"];
}
register_trigger!(OnCompletionRecorded);

/// When users change.
pub struct OnUsersUpdated;
impl Trigger for OnUsersUpdated {
    type Payload = PolledEvent;
    const ID: &'static str = "thrive_on_users_updated";
    const TITLE: &'static str = "When users change (polling)";
    const DESCRIPTION: &'static str = "Polls users by updatedSince and starts for each user created or changed since the last poll.";
    const EVENT_TYPES: &'static [&'static str] = &["poll.user.changed"];
    const SOURCE: TriggerSource = TriggerSource::Polling {
        tool: "thrive_search_users",
        cursor: "the latest user updatedAt seen, with the ids seen at that instant",
    };
    const FILTERS: &'static [&'static str] = &[];
}
register_trigger!(OnUsersUpdated);

/// When a CPD entry is logged.
pub struct OnCpdEntryLogged;
impl Trigger for OnCpdEntryLogged {
    type Payload = PolledEvent;
    const ID: &'static str = "thrive_on_cpd_entry_logged";
    const TITLE: &'static str = "When a CPD entry is logged (polling)";
    const DESCRIPTION: &'static str =
        "Polls CPD entries by entry date and starts for each new one.";
    const EVENT_TYPES: &'static [&'static str] = &["poll.cpd_entry.created"];
    const SOURCE: TriggerSource = TriggerSource::Polling {
        tool: "thrive_query_cpd_entries",
        cursor: "the latest entryDate seen, with the ids seen at that instant",
    };
    const FILTERS: &'static [&'static str] = &[];
}
register_trigger!(OnCpdEntryLogged);

/// What to poll: a polling trigger, the connection, the user's filters.
/// `Debug` never shows the connection (it holds the API key).
#[derive(Clone)]
pub struct PollSpec {
    /// The polling trigger's id, e.g. `thrive_on_enrolment_status_changed`.
    pub trigger: String,
    /// Connection inputs (`tenantId`, `apiKey`, `host`, ...), as for a tool.
    pub connection: Map<String, Value>,
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

/// How one polling trigger reads its tool's output.
struct Plan {
    tool: &'static str,
    event_type: &'static str,
    /// The input field taking the cursor time.
    from_field: &'static str,
    /// Where the items are in the output.
    list: &'static str,
    /// The item's id and change-time fields.
    id_field: &'static str,
    time_field: &'static str,
}

fn plan(trigger: &str) -> Result<Plan> {
    Ok(match trigger {
        OnEnrolmentStatusChanged::ID => Plan {
            tool: "thrive_list_enrolments",
            event_type: "poll.enrolment.status_changed",
            from_field: "updatedAtFrom",
            list: "enrolments",
            id_field: "id",
            time_field: "updatedAt",
        },
        OnCompletionRecorded::ID => Plan {
            tool: "thrive_list_completions",
            event_type: "poll.completion.created",
            from_field: "completedDateRangeStart",
            list: "completions",
            id_field: "id",
            time_field: "completedAt",
        },
        OnUsersUpdated::ID => Plan {
            tool: "thrive_search_users",
            event_type: "poll.user.changed",
            from_field: "updatedSince",
            list: "results",
            id_field: "id",
            time_field: "updatedAt",
        },
        OnCpdEntryLogged::ID => Plan {
            tool: "thrive_query_cpd_entries",
            event_type: "poll.cpd_entry.created",
            from_field: "entryDateFrom",
            list: "results",
            id_field: "logEntryId",
            time_field: "entryDate",
        },
        other => {
            return Err(Error::field(
                "/trigger",
                format!("{other:?} is not a polling trigger"),
            ));
        }
    })
}

/// Polls one trigger into an [`EventLog`].
pub struct Poller {
    spec: PollSpec,
    plan: Plan,
    catalogue: &'static Catalogue,
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
    /// A poller for `spec`; refuses a trigger that does not poll and a
    /// missing `assignmentId` for enrolments.
    pub fn new(
        spec: PollSpec,
        catalogue: &'static Catalogue,
        ctx: Context,
        log: EventLog,
    ) -> Result<Self> {
        let plan = plan(&spec.trigger)?;
        if spec.trigger == OnEnrolmentStatusChanged::ID
            && spec
                .filters
                .assignment_id
                .as_deref()
                .is_none_or(str::is_empty)
        {
            return Err(Error::field("/assignmentId", "assignmentId is required"));
        }
        Ok(Self {
            spec,
            plan,
            catalogue,
            ctx,
            log,
        })
    }

    /// The name the cursor is stored under: trigger, tenant and assignment.
    pub fn cursor_name(&self) -> String {
        let tenant = self
            .spec
            .connection
            .get("tenantId")
            .and_then(Value::as_str)
            .unwrap_or_default();
        format!(
            "poll:{}:{}:{}",
            self.spec.trigger,
            tenant,
            self.spec.filters.assignment_id.as_deref().unwrap_or("")
        )
    }

    fn start_time(&self) -> String {
        if let Some(start) = &self.spec.start {
            return start.clone();
        }
        let now = format_ms(now_ms());
        if self.plan.from_field == "entryDateFrom" {
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
        let mut input = self.spec.connection.clone();
        input.insert(self.plan.from_field.into(), cursor.at.clone().into());
        input.insert("returnAll".into(), true.into());
        if let Some(a) = &self.spec.filters.assignment_id {
            input.insert("assignmentId".into(), a.clone().into());
        }
        let output = self
            .catalogue
            .execute(self.plan.tool, Value::Object(input), &self.ctx)
            .await?;
        let items = output
            .get(self.plan.list)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let tenant = self
            .spec
            .connection
            .get("tenantId")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let statuses: Vec<String> = self
            .spec
            .filters
            .statuses
            .clone()
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| vec!["overdue".into(), "complete".into()]);
        let mut fresh: Vec<(String, String, Map<String, Value>)> = Vec::new();
        for item in items {
            let Value::Object(item) = item else { continue };
            let (Some(id), Some(at)) = (
                item.get(self.plan.id_field).and_then(Value::as_str),
                item.get(self.plan.time_field).and_then(Value::as_str),
            ) else {
                continue;
            };
            let seen =
                at < cursor.at.as_str() || (at == cursor.at && cursor.ids.iter().any(|i| i == id));
            if !seen {
                fresh.push((id.to_owned(), at.to_owned(), item.clone()));
            }
        }
        fresh.sort_by(|a, b| (&a.1, &a.0).cmp(&(&b.1, &b.0)));
        // Advance the cursor over everything new, matching the filters or not.
        for (id, at, _) in &fresh {
            if *at > cursor.at {
                cursor.at = at.clone();
                cursor.ids.clear();
            }
            if *at == cursor.at && !cursor.ids.contains(id) {
                cursor.ids.push(id.clone());
            }
        }
        let now = now_ms();
        let mut events = Vec::new();
        for (id, at, item) in fresh {
            if self.spec.trigger == OnEnrolmentStatusChanged::ID {
                let status = item.get("status").and_then(Value::as_str).unwrap_or("");
                if !statuses.iter().any(|s| s == status) {
                    continue;
                }
            }
            let payload = PolledEvent {
                event_type: self.plan.event_type.into(),
                tenant_id: tenant.clone(),
                item_id: id,
                changed_at: at,
                item,
            };
            let payload_json = serde_json::to_value(&payload)
                .map_err(|e| Error::new(ErrorCode::InvalidResponse, e.to_string()))?;
            if !self
                .spec
                .filters
                .matches(self.plan.event_type, &payload_json)
            {
                continue;
            }
            let body = payload_json.to_string();
            events.push(NewEvent {
                source: self.spec.trigger.clone(),
                trigger: self.spec.trigger.clone(),
                event_type: self.plan.event_type.into(),
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
