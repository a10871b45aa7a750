//! What the read tools filtered only by the paging pair and `updatedSince`
//! (CPD categories, CPD requirement summaries, tags) share: each states its
//! params and its [`Block`](crate::block::Block) and [`Tool`](crate::Tool)
//! impls in its own file, and calls these two for the parts written once.

use crate::api::ApiRequest;
use crate::error::{Result, Violation};
use crate::params::{DateText, Instant, check_date_input};
use serde::Serialize;

/// Reports an `updatedSince` that is not a date/time Thrive reads.
pub(crate) fn check_updated_since(
    updated_since: Option<&DateText<Instant>>,
    out: &mut Vec<Violation>,
) {
    check_date_input("updatedSince", updated_since, out);
}

/// `endpoint` (a template without path parameters) with every given field
/// of `params` as the query.
pub(crate) fn list_request(endpoint: &str, params: &impl Serialize) -> Result<ApiRequest> {
    ApiRequest::endpoint(endpoint, &[])?.query_fields(params)
}
