//! Generated packages for other hosts: AI agents' tool lists ([`agents`])
//! and the Node-RED package (`node_red`).

pub mod agents;
#[cfg(feature = "cli")]
pub mod node_red;
