//! Polling triggers' typed side: a [`Polled`] trigger names the tool it
//! polls, the params of one poll from a cursor time and the items of the
//! tool's output; the [`Poller`](super::Poller) (with the `triggers`
//! feature) runs it on an interval with a durable cursor.

use super::{DynTrigger, ErasedTrigger, Trigger, TriggerFilters, TriggerMeta};
use crate::api::Context;
use crate::block::{Block, DynBlock};
use crate::call::BoxFuture;
use crate::error::Result;
use crate::params::Connection;
use crate::tool::Tool;
use crate::wire::ToolMeta;
use serde::Serialize;
use serde_json::{Map, Value};

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
