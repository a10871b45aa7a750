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

/// Declares a trigger: the unit struct with its doc, its [`Trigger`] impl
/// and its registration, each fact written once. `filters` may be left out
/// (then only `eventTypes`, the trait's default).
macro_rules! trigger {
    (
        $(#[$doc:meta])*
        $name:ident: $payload:ty {
            id: $id:literal,
            title: $title:literal,
            description: $description:literal,
            event_types: [$($event:literal),* $(,)?],
            source: $source:expr
            $(, filters: [$($filter:literal),* $(,)?])? $(,)?
        }
    ) => {
        $(#[$doc])*
        pub struct $name;

        impl $crate::triggers::Trigger for $name {
            type Payload = $payload;
            const ID: &'static str = $id;
            const TITLE: &'static str = $title;
            const DESCRIPTION: &'static str = $description;
            const EVENT_TYPES: &'static [&'static str] = &[$($event),*];
            const SOURCE: $crate::triggers::TriggerSource = $source;
            $(const FILTERS: &'static [&'static str] = &[$($filter),*];)?
        }

        $crate::register_trigger!($name);
    };
}

mod catalogue;
mod filters;
mod forward;
mod log;
pub mod payloads;
mod poll;
mod polled;
mod receiver;
mod store;

pub use catalogue::{CatalogueTrigger, all, find};
pub use filters::TriggerFilters;
pub use forward::Forwarder;
pub use log::{Delivery, EventLog, EventStream};
pub use poll::{PollSpec, Poller};
pub use polled::{
    OnCompletionRecorded, OnCpdEntryLogged, OnEnrolmentStatusChanged, OnUsersUpdated,
};
pub use receiver::{
    Ack, ReceiveError, Receiver, ReceiverConfig, SIGNATURE_HEADER, Subscription, WebhookSecret,
    sign,
};
pub use store::{Appended, EventStore, NewEvent, SqliteStore, StoreError, StoredEvent};

use schemars::JsonSchema;
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

/// One trigger: Thrive events of some types, with a typed payload.
/// Implementations are unit structs, like tools.
pub trait Trigger: Send + Sync + 'static {
    /// The typed, lossless payload (unknown fields kept in a flattened map).
    type Payload: Serialize + DeserializeOwned + JsonSchema;

    /// The stable id, e.g. `thrive_on_content_completed`.
    const ID: &'static str;
    /// A short title for a palette.
    const TITLE: &'static str;
    /// A one-line description.
    const DESCRIPTION: &'static str;
    /// The trigger's version; bumped when its payload changes shape.
    const VERSION: &'static str = "1.0.0";
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
    /// See [`Trigger::ID`].
    pub id: &'static str,
    /// See [`Trigger::TITLE`].
    pub title: &'static str,
    /// See [`Trigger::DESCRIPTION`].
    pub description: &'static str,
    /// See [`Trigger::VERSION`].
    pub version: &'static str,
    /// See [`Trigger::EVENT_TYPES`].
    pub event_types: &'static [&'static str],
    /// See [`Trigger::SOURCE`].
    pub source: TriggerSource,
    /// See [`Trigger::FILTERS`].
    pub filters: &'static [&'static str],
}

/// The object-safe form of a [`Trigger`] that the registry stores.
pub trait DynTrigger: Send + Sync {
    /// Static facts.
    fn meta(&self) -> TriggerMeta;
    /// The payload's JSON Schema (2020-12).
    fn payload_schema(&self) -> Value;
    /// Whether `payload` reads as this trigger's typed payload.
    fn check_payload(&self, payload: &Value) -> Result<(), String>;
}

/// Adapts a [`Trigger`] to [`DynTrigger`].
pub struct ErasedTrigger<T>(std::marker::PhantomData<fn() -> T>);

impl<T> ErasedTrigger<T> {
    /// The adapter value (zero-sized).
    pub const NEW: Self = Self(std::marker::PhantomData);
}

impl<T: Trigger> DynTrigger for ErasedTrigger<T> {
    fn meta(&self) -> TriggerMeta {
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

    fn payload_schema(&self) -> Value {
        crate::schema::output_schema_for::<T::Payload>()
    }

    fn check_payload(&self, payload: &Value) -> Result<(), String> {
        T::Payload::deserialize(payload)
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}

use serde::Deserialize as _;

/// An `inventory` registration of one trigger.
pub struct TriggerEntry(pub &'static dyn DynTrigger);

inventory::collect!(TriggerEntry);

/// Registers a [`Trigger`]: `register_trigger!(OnContentCompleted);`
#[macro_export]
macro_rules! register_trigger {
    ($trigger:ty) => {
        ::inventory::submit! {
            $crate::triggers::TriggerEntry(&$crate::triggers::ErasedTrigger::<$trigger>::NEW)
        }
    };
}

pub use crate::clock::now_iso;

/// Whether `event_type` is covered by `pattern` (`assignment.*` covers
/// `assignment.assigned`; anything else must be equal).
pub fn event_type_matches(pattern: &str, event_type: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => event_type.starts_with(prefix),
        None => pattern == event_type,
    }
}
