//! Triggers: Thrive's events as catalogue entries that start workflows.
//!
//! A [`Trigger`] is the other half of a workflow builder's palette, beside
//! the [`Tool`](crate::Tool)s: an id beginning with `thrive_on_`, a title and
//! description, the event types it covers, a typed payload with its JSON
//! Schema, filters a user sets in the form (content ids, event types, an
//! audience id), and for polling triggers the tool it polls.
//!
//! Two kinds:
//! - **Webhook triggers** ([`TriggerSource::Webhook`]) are fed by Thrive's
//!   outbound webhooks through the [`Receiver`]: HMAC-SHA256 verified over
//!   the raw bytes, deduplicated on the body hash, written to the durable
//!   [`EventStore`] before the 2xx goes back, and delivered at least once
//!   from a cursor ([`EventLog`]).
//! - **Polling triggers** ([`TriggerSource::Polling`]) cover what Thrive does
//!   not push (enrolments turning overdue, new completions, users changed,
//!   new CPD entries). A [`Poller`] calls the tool with `returnAll` through
//!   the catalogue (so the client's retry and 429 rules apply) and appends
//!   new items as events with its cursor, in one transaction.
//!
//! Both kinds end up in the same [`EventLog`]: one stream of events with
//! monotonically increasing cursors.

mod filters;
pub mod payloads;
mod poll;
mod routes;
mod subscription;

pub(crate) use filters::ENROLMENT_STATUSES;
pub use filters::TriggerFilters;
pub use poll::{DynPolled, ErasedPolled, Polled, PolledItem};
pub use routes::{OTHER_EVENT, WebhookRoutes};
pub use subscription::Subscription;

// The machinery that stores, receives and delivers events: SQLite and
// HMAC, behind the default-on `triggers` feature, so a host that links only
// the operations builds without them. The triggers above (their facts,
// schemas and typed polls) are always there: the catalogue lists them.
#[cfg(feature = "triggers")]
mod forward;
#[cfg(feature = "triggers")]
mod log;
#[cfg(feature = "triggers")]
mod poller;
#[cfg(feature = "triggers")]
mod receiver;
#[cfg(feature = "triggers")]
mod store;

#[cfg(feature = "triggers")]
pub use forward::Forwarder;
#[cfg(feature = "triggers")]
pub use log::{DeliveredEvent, EventLog, EventStream};
#[cfg(feature = "triggers")]
pub use poller::{PollSpec, Poller};
#[cfg(feature = "triggers")]
pub use receiver::{
    Ack, ReceiveError, Receiver, ReceiverConfig, SIGNATURE_HEADER, WebhookSecret, sign,
};
#[cfg(feature = "triggers")]
pub use store::{Appended, EventStore, NewEvent, SqliteStore, StoreError, StoredEvent};

use crate::block::{Block, DynBlock};
use crate::wire::ToolMeta;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Where a trigger's events come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum TriggerSource {
    /// Thrive pushes the events to the receiver.
    #[serde(rename_all = "camelCase")]
    Webhook {
        /// The subscription types Thrive's team configures a URL for whose
        /// events this trigger covers, e.g. `completion_subscription`.
        subscriptions: &'static [Subscription],
    },
    /// A [`Poller`] calls `tool` every interval and turns new items into events.
    #[serde(rename_all = "camelCase")]
    Polling {
        /// The tool polled, e.g. `thrive_list_enrolments`.
        tool: &'static str,
        /// How the cursor advances, in words.
        cursor: &'static str,
    },
}

/// One trigger: Thrive events of some types, with a typed payload. A
/// [`Block`] whose params are the filters a user sets and whose output is
/// the event payload; this trait adds where the events come from.
/// Implementations are unit structs, like tools.
pub trait Trigger: Block<Params = TriggerFilters, Output: DeserializeOwned> {
    /// The event types covered; a trailing `*` matches any suffix
    /// (`assignment.*`).
    const EVENT_TYPES: &'static [&'static str];
    /// Where the events come from.
    const SOURCE: TriggerSource;
    /// The filters a user may set: a subset of `contentIds`, `eventTypes`,
    /// `audienceId`, `assignmentId`, `statuses`.
    const FILTERS: &'static [&'static str] = &["eventTypes"];
}

/// Static facts about a trigger, as the catalogue lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TriggerMeta {
    /// See [`Block::ID`].
    pub id: &'static str,
    /// See [`Block::TITLE`].
    pub title: &'static str,
    /// See [`Block::DESCRIPTION`].
    pub description: &'static str,
    /// See [`Block::VERSION`].
    pub version: &'static str,
    /// See [`Trigger::EVENT_TYPES`].
    pub event_types: &'static [&'static str],
    /// See [`Trigger::SOURCE`].
    pub source: TriggerSource,
    /// See [`Trigger::FILTERS`].
    pub filters: &'static [&'static str],
}

/// The object-safe form of a [`Trigger`] that the registry stores.
pub trait DynTrigger: DynBlock {
    /// Static facts.
    fn trigger_meta(&self) -> TriggerMeta;
    /// Whether `payload` reads as this trigger's typed payload.
    fn check_payload(&self, payload: &Value) -> Result<(), String>;
    /// How a polling trigger polls; `None` for a webhook trigger.
    fn polling(&self) -> Option<&dyn DynPolled> {
        None
    }
}

/// Adapts a [`Trigger`] to [`DynTrigger`].
pub struct ErasedTrigger<T>(std::marker::PhantomData<fn() -> T>);

impl<T> ErasedTrigger<T> {
    /// The adapter value (zero-sized).
    pub const NEW: Self = Self(std::marker::PhantomData);
}

impl<T: Trigger> DynBlock for ErasedTrigger<T> {
    fn meta(&self) -> ToolMeta {
        crate::block::meta_of::<T>()
    }

    fn params_schema(&self) -> Value {
        crate::block::params_schema_of::<T>()
    }

    fn output_schema(&self) -> Value {
        crate::block::output_schema_of::<T>()
    }
}

impl<T: Trigger> DynTrigger for ErasedTrigger<T> {
    fn trigger_meta(&self) -> TriggerMeta {
        trigger_meta_of::<T>()
    }

    fn check_payload(&self, payload: &Value) -> Result<(), String> {
        check_payload_of::<T>(payload)
    }
}

/// The [`TriggerMeta`] of `T`.
pub(crate) fn trigger_meta_of<T: Trigger>() -> TriggerMeta {
    TriggerMeta {
        id: T::ID,
        title: T::TITLE,
        description: T::DESCRIPTION,
        version: T::VERSION,
        event_types: T::EVENT_TYPES,
        source: T::SOURCE,
        filters: T::FILTERS,
    }
}

/// Whether `payload` reads as `T`'s payload.
pub(crate) fn check_payload_of<T: Trigger>(payload: &Value) -> Result<(), String> {
    T::Output::deserialize(payload)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

use serde::Deserialize as _;

/// Whether `event_type` is covered by `pattern` (`assignment.*` covers
/// `assignment.assigned`; anything else must be equal).
pub fn event_type_matches(pattern: &str, event_type: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => event_type.starts_with(prefix),
        None => pattern == event_type,
    }
}
