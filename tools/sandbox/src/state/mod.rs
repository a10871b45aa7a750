//! The tenant's state, knowing nothing of HTTP routing, authentication,
//! faults, webhooks or seeding: the records ([`Db`], over the plain records
//! of `model`), the operations on them (one file per resource), and
//! [`SandboxState`], the handle handlers and tests share.

mod assignments;
mod audiences;
mod completions;
mod cpd;
mod db;
mod handle;
mod tags;
mod users;

pub(crate) use db::Db;
pub use handle::SandboxState;
