//! The catalogue of tools: discover, describe, validate, execute, export.

mod collect;
mod entry;
mod problems;
mod registry;
mod trigger;
pub use entry::{BlockEntry, Kind};
mod tool;
pub use registry::{Catalogue, DryRun};
pub use tool::CatalogueTool;
pub use trigger::CatalogueTrigger;
