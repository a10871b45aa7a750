//! `thrive_get_cpd_entry`: `GET /rest/v1/cpdEntries/{logEntryId}`.

use super::EntryOutput;
use crate::api::ApiRequest;
use crate::error::Result;
use crate::params::{HexId, Text};
use crate::tool::declare_tool;
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

declare_tool! {
    GetCpdEntry {
        id: "thrive_get_cpd_entry",
        title: "Get CPD entry",
        description: "Get a single CPD log entry in Thrive by its ID.",
        endpoint: "GET /rest/v1/cpdEntries/{logEntryId}",
        hints: READ,
        params: GetCpdEntryParams,
        output: EntryOutput,
    }
    impl {
        fn request(p: &Self::Params) -> Result<ApiRequest> {
            ApiRequest::endpoint(Self::ENDPOINT, &[&p.log_entry_id])
        }
    }
}
