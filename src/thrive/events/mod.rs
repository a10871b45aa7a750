//! Thrive's events as triggers: the webhook triggers Thrive's outbound
//! webhooks feed, and the polling triggers that read what Thrive does not
//! push from the tools of this crate, by type. The machinery (receiver,
//! store, log, poller) is in [`crate::triggers`].

mod polled;
mod webhooks;

pub use polled::{
    OnCompletionRecorded, OnCpdEntryLogged, OnEnrolmentStatusChanged, OnUsersUpdated,
};
pub use webhooks::{
    OnAssignmentChanged, OnContentChanged, OnContentCompleted, OnOtherEvent, OnUserChanged,
};
