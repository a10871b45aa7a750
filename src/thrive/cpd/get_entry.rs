//! `thrive_get_cpd_entry`: `GET /rest/v1/cpdEntries/{logEntryId}`.

use super::EntryOutput;
use crate::api::ApiRequest;
use crate::block::Block;
use crate::error::Result;
use crate::params::{HexId, Text};
use crate::register_tool;
use crate::tool::{Hints, Tool};
use schemars::JsonSchema;
use serde::Deserialize;

/// Inputs of [`GetCpdEntry`].
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GetCpdEntryParams {
    /// The CPD log entry ID (24 hexadecimal characters).
    #[schemars(extend("x-options" = crate::options::CPD_ENTRY))]
    pub log_entry_id: Text<HexId>,
}

/// Get a single CPD log entry in Thrive by its ID.
pub struct GetCpdEntry;

impl Block for GetCpdEntry {
    type Params = GetCpdEntryParams;
    type Output = EntryOutput;

    const ID: &'static str = "thrive_get_cpd_entry";
    const TITLE: &'static str = "Get CPD entry";
    const DESCRIPTION: &'static str = "Get a single CPD log entry in Thrive by its ID.";
    const ENDPOINT: &'static str = "GET /rest/v1/cpdEntries/{logEntryId}";
    const HINTS: Hints = Hints::READ;
}

impl Tool for GetCpdEntry {
    fn request(p: &Self::Params) -> Result<ApiRequest> {
        ApiRequest::endpoint(Self::ENDPOINT, &[&p.log_entry_id])
    }
}

register_tool!(GetCpdEntry);
