//! Trigger events in the hosts: `thrive-blocks listen` ([`listen`]) and the
//! block server's webhook and event routes (`webhooks`).

#[cfg(all(feature = "sandbox", feature = "server"))]
pub(crate) mod demo_trigger;
#[cfg(feature = "cli")]
pub mod listen;
#[cfg(feature = "server")]
pub mod webhooks;
