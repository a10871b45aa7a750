//! The plain records of the tenant and their JSON views, below `state`
//! (which stores them and runs the operations on them).

pub(crate) mod assignments;
pub(crate) mod audiences;
pub(crate) mod completions;
pub(crate) mod content;
pub(crate) mod cpd;
pub(crate) mod tags;
pub(crate) mod users;
