//! What every handler of the block server shares: the catalogue, the
//! context, the token and the default connection.

use super::playground;
use crate::api::Context;
use crate::catalogue::Catalogue;
use crate::params::Connection;
use serde_json::Value;
use std::sync::Arc;

/// The block server's shared state.
#[derive(Clone)]
pub(super) struct AppState {
    pub(super) catalogue: &'static Catalogue,
    pub(super) ctx: Context,
    pub(super) token: Option<Arc<str>>,
    pub(super) default_connection: Option<Arc<Connection>>,
}

impl AppState {
    /// Fills the default connection into an input that gives none.
    pub(super) fn fill_default_connection(&self, input: &mut Value) {
        playground::apply_default_connection(input, self.default_connection.as_deref());
    }
}
