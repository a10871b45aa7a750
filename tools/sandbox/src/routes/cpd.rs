//! CPD categories, entries, requirement summaries and user summaries
//! (operations #35–#41).

use axum::Router;
use axum::extract::State;
use axum::routing::get;

use super::common::{ApiResult, check_hex_id, ok};
use crate::error::ApiError;
use crate::model::cpd::{CpdCategory, CpdRequirement};
use crate::request::{PageSpec, PathParams, QueryParams};
use crate::state::SandboxState;
use crate::time::{parse_space_format, parse_t_format, upper_bound};

pub(super) fn routes() -> Router<SandboxState> {
    Router::new()
        .route("/rest/v1/cpdCategories", get(query_categories))
        .route("/rest/v1/cpdCategories/{categoryId}", get(get_category))
        .route("/rest/v1/cpdEntries", get(query_entries))
        .route("/rest/v1/cpdEntries/{logEntryId}", get(get_entry))
        .route("/rest/v1/cpdRequirementSummaries", get(query_requirements))
        .route(
            "/rest/v1/cpdRequirementSummaries/{audienceRequirementId}",
            get(get_requirement),
        )
        .route("/rest/v1/cpdUserLogSummaries", get(query_user_summaries))
}

/// `updatedSince` is validated but has no effect: categories carry no
/// `updatedAt`.
async fn query_categories(State(state): State<SandboxState>, q: QueryParams) -> ApiResult {
    let paging = q.paging(PageSpec::STANDARD)?;
    let _ignored = q.updated_since()?;
    let db = state.db();
    let all: Vec<&CpdCategory> = db.cpd_categories.iter().collect();
    Ok(ok(paging.page_of(all, CpdCategory::to_json)))
}

async fn get_category(
    State(state): State<SandboxState>,
    PathParams(id): PathParams<String>,
) -> ApiResult {
    check_hex_id(&id)?;
    state
        .db()
        .cpd_categories
        .iter()
        .find(|c| c.id.eq_ignore_ascii_case(&id))
        .map(|c| ok(c.to_json()))
        .ok_or_else(|| ApiError::not_found("CPD category not found"))
}

/// `entryDateFrom`/`entryDateTo` in `YYYY-MM-DD hh:mm:ss` (or a bare date),
/// inclusive.
async fn query_entries(State(state): State<SandboxState>, q: QueryParams) -> ApiResult {
    let paging = q.paging(PageSpec::STANDARD)?;
    let format = "YYYY-MM-DD hh:mm:ss";
    let from = q
        .time_with("entryDateFrom", parse_space_format, format)?
        .map(|p| p.millis);
    let to = q
        .time_with("entryDateTo", parse_space_format, format)?
        .map(upper_bound);
    let db = state.db();
    let entries = db.cpd_entries_between(from, to);
    Ok(ok(paging.page_of(entries, |e| db.cpd_entry_json(e))))
}

async fn get_entry(
    State(state): State<SandboxState>,
    PathParams(id): PathParams<String>,
) -> ApiResult {
    check_hex_id(&id)?;
    let db = state.db();
    db.cpd_entries
        .iter()
        .find(|e| e.id.eq_ignore_ascii_case(&id))
        .map(|e| ok(db.cpd_entry_json(e)))
        .ok_or_else(|| ApiError::not_found("CPD entry not found"))
}

async fn query_requirements(State(state): State<SandboxState>, q: QueryParams) -> ApiResult {
    let paging = q.paging(PageSpec::STANDARD)?;
    let since = q.updated_since()?;
    let db = state.db();
    let matches: Vec<&CpdRequirement> = db
        .cpd_requirements
        .iter()
        .filter(|r| since.is_none_or(|s| r.changed_at() >= s))
        .collect();
    Ok(ok(paging.page_of(matches, CpdRequirement::to_json)))
}

async fn get_requirement(
    State(state): State<SandboxState>,
    PathParams(id): PathParams<String>,
) -> ApiResult {
    check_hex_id(&id)?;
    state
        .db()
        .cpd_requirements
        .iter()
        .find(|r| r.id.eq_ignore_ascii_case(&id))
        .map(|r| ok(r.to_json()))
        .ok_or_else(|| ApiError::not_found("CPD requirement not found"))
}

/// Both `entryDateFrom` and `entryDateTo` are required, in
/// `YYYY-MM-DDThh:mm:ss` (400 when missing or in another form). `userIds` is
/// a comma-separated list.
async fn query_user_summaries(State(state): State<SandboxState>, q: QueryParams) -> ApiResult {
    let paging = q.paging(PageSpec::STANDARD)?;
    let format = "YYYY-MM-DDThh:mm:ss";
    let from = q.time_with("entryDateFrom", parse_t_format, format)?;
    let to = q.time_with("entryDateTo", parse_t_format, format)?;
    let (Some(from), Some(to)) = (from, to) else {
        let missing = if from.is_none() {
            "entryDateFrom"
        } else {
            "entryDateTo"
        };
        return Err(ApiError::bad_request(format!(
            "{missing} is required (format {format})"
        )));
    };
    let user_ids = q.list("userIds")?;
    let db = state.db();
    let rows = db.cpd_user_summaries(from.millis, upper_bound(to), user_ids.as_deref());
    Ok(ok(paging.page_of(rows, |r| r)))
}
