//! The one registry: every block of every kind is an `inventory`
//! [`BlockEntry`], read once into the [`Catalogue`](super::Catalogue)'s maps.

use crate::block::DynBlock;
use crate::call::DynTool;
use crate::composite::DynComposite;
use crate::triggers::DynTrigger;

/// The kinds of block, erased: what the catalogue keeps for each entry.
#[derive(Clone, Copy)]
pub enum Kind {
    /// One Thrive call.
    Tool(&'static dyn DynTool),
    /// Several calls of other tools.
    Composite(&'static dyn DynComposite),
    /// Thrive's events.
    Trigger(&'static dyn DynTrigger),
}

/// An `inventory` registration of one block of any kind, with the module
/// it was registered from (its folder under `thrive/` names its resource
/// group). Made by [`register_tool!`](crate::register_tool),
/// [`register_composite!`](crate::register_composite) and
/// [`register_trigger!`](crate::register_trigger).
pub struct BlockEntry {
    /// The block, by kind.
    pub kind: Kind,
    /// `module_path!()` of the registration.
    pub module: &'static str,
}

impl BlockEntry {
    /// The block's shared side (facts and schemas).
    pub fn block(&self) -> &'static dyn DynBlock {
        match self.kind {
            Kind::Tool(t) => t,
            Kind::Composite(c) => c,
            Kind::Trigger(t) => t,
        }
    }

    /// The resource group of the block: the folder under `thrive/` it
    /// lives in (`users`, `audiences`, `members`, ...), or `other`.
    pub fn resource(&self) -> &'static str {
        let mut parts = self.module.split("::");
        while let Some(part) = parts.next() {
            if part == "thrive" {
                return parts.next().unwrap_or("other");
            }
        }
        "other"
    }
}

inventory::collect!(BlockEntry);

/// Registers a [`Tool`](crate::Tool) with the catalogue: `register_tool!(CreateUser);`
#[macro_export]
macro_rules! register_tool {
    ($tool:ty) => {
        ::inventory::submit! {
            $crate::catalogue::BlockEntry {
                kind: $crate::catalogue::Kind::Tool(&$crate::call::Erased::<$tool>::NEW),
                module: module_path!(),
            }
        }
    };
}

/// Registers a [`Composite`](crate::composite::Composite) with the
/// catalogue: `register_composite!(SyncAudienceMembers);`
#[macro_export]
macro_rules! register_composite {
    ($composite:ty) => {
        ::inventory::submit! {
            $crate::catalogue::BlockEntry {
                kind: $crate::catalogue::Kind::Composite(
                    &$crate::composite::ErasedComposite::<$composite>::NEW,
                ),
                module: module_path!(),
            }
        }
    };
}

/// Registers a [`Trigger`](crate::triggers::Trigger) with the catalogue:
/// `register_trigger!(OnContentCompleted);`
#[macro_export]
macro_rules! register_trigger {
    ($trigger:ty) => {
        ::inventory::submit! {
            $crate::catalogue::BlockEntry {
                kind: $crate::catalogue::Kind::Trigger(
                    &$crate::triggers::ErasedTrigger::<$trigger>::NEW,
                ),
                module: module_path!(),
            }
        }
    };
}

/// Registers a polling trigger (a [`Polled`](crate::triggers::Polled)
/// trigger) with the catalogue: `register_polled_trigger!(OnUsersUpdated);`
#[macro_export]
macro_rules! register_polled_trigger {
    ($trigger:ty) => {
        ::inventory::submit! {
            $crate::catalogue::BlockEntry {
                kind: $crate::catalogue::Kind::Trigger(
                    &$crate::triggers::ErasedPolled::<$trigger>::NEW,
                ),
                module: module_path!(),
            }
        }
    };
}
