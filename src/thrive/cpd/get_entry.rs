//! `thrive_get_cpd_entry`: `GET /rest/v1/cpdEntries/{logEntryId}`.

use super::{CpdEntry, EntryOutput};
use crate::api::{ApiRequest, ApiResponse, segment};
use crate::error::Result;
use crate::thrive::common::object;
use crate::tool::{Hints, Tool};
use schemars::JsonSchema;
use serde::Deserialize;

/// Get a single CPD log entry in Thrive by its ID.
pub struct GetCpdEntry;

/// Inputs of [`GetCpdEntry`].
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GetCpdEntryParams {
    /// The CPD log entry ID (24 hexadecimal characters).
    #[schemars(extend("x-options" = crate::options::CPD_ENTRY))]
    pub log_entry_id: String,
}

impl Tool for GetCpdEntry {
    type Params = GetCpdEntryParams;
    type Output = EntryOutput;

    const ID: &'static str = "thrive_get_cpd_entry";
    const TITLE: &'static str = "Get CPD entry";
    const DESCRIPTION: &'static str = "Get a single CPD log entry in Thrive by its ID.";
    const ENDPOINT: &'static str = "GET /rest/v1/cpdEntries/{logEntryId}";
    const HINTS: Hints = Hints::READ;

    fn request(p: &Self::Params) -> Result<ApiRequest> {
        let id = segment("logEntryId", &p.log_entry_id)?;
        Ok(ApiRequest::get(&["cpdEntries", &id]))
    }

    fn output(response: ApiResponse) -> Result<Self::Output> {
        Ok(EntryOutput {
            entry: object::<CpdEntry>(response)?,
        })
    }
}

crate::register_tool!(GetCpdEntry);
