//! Checking that credentials and host work, for credential forms.

mod test;

pub use test::{TestConnection, TestConnectionOutput, TestConnectionParams};
