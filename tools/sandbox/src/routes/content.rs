//! Content and activity records (operations #31–#34).

use axum::Router;
use axum::extract::State;
use axum::routing::get;

use super::common::{ApiResult, check_hex_id, ok};
use crate::error::ApiError;
use crate::model::content::{ACTIONS, Activity, CONTENT_TYPES, Content};
use crate::request::{PageSpec, PathParams, QueryParams};
use crate::state::SandboxState;
use crate::time::{parse_space_format, upper_bound};

pub(super) fn routes() -> Router<SandboxState> {
    Router::new()
        .route("/rest/v1/contents", get(query_content))
        .route("/rest/v1/contents/{id}", get(get_content))
        .route("/rest/v1/activities", get(query_activities))
        .route("/rest/v1/activity/{id}", get(get_activity))
}

async fn get_content(
    State(state): State<SandboxState>,
    PathParams(id): PathParams<String>,
) -> ApiResult {
    check_hex_id(&id)?;
    state
        .db()
        .contents
        .iter()
        .find(|c| c.id.eq_ignore_ascii_case(&id))
        .map(|c| ok(c.to_json()))
        .ok_or_else(|| ApiError::not_found("Content not found"))
}

/// `perPage` default 20. `types` and `omitTypes` take documented type names;
/// when both are given `omitTypes` is ignored. `updatedSince` is on or after.
async fn query_content(State(state): State<SandboxState>, q: QueryParams) -> ApiResult {
    let paging = q.paging(PageSpec::TWENTY)?;
    let types = q.enum_list("types", &CONTENT_TYPES)?;
    let omit = q.enum_list("omitTypes", &CONTENT_TYPES)?;
    let since = q.updated_since()?;
    let omit = if types.is_some() { None } else { omit };
    let db = state.db();
    let matches: Vec<&Content> = db
        .contents
        .iter()
        .filter(|c| types.as_ref().is_none_or(|t| t.contains(&c.kind)))
        .filter(|c| omit.as_ref().is_none_or(|t| !t.contains(&c.kind)))
        .filter(|c| since.is_none_or(|s| c.updated_at >= s))
        .collect();
    Ok(ok(paging.page_of(matches, Content::to_json)))
}

async fn get_activity(
    State(state): State<SandboxState>,
    PathParams(id): PathParams<String>,
) -> ApiResult {
    check_hex_id(&id)?;
    state
        .db()
        .activities
        .iter()
        .find(|a| a.id.eq_ignore_ascii_case(&id))
        .map(|a| ok(a.to_json()))
        .ok_or_else(|| ApiError::not_found("Activity not found"))
}

/// `perPage` default 20. Filters: `actions`, `omitActions` (both apply),
/// `contentIds`, `contentType`, `timestampFrom`/`timestampTo` in
/// `YYYY-MM-DD hh:mm:ss` (UTC, inclusive; a bare date is also accepted).
async fn query_activities(State(state): State<SandboxState>, q: QueryParams) -> ApiResult {
    let paging = q.paging(PageSpec::TWENTY)?;
    let actions = q.enum_list("actions", &ACTIONS)?;
    let omit = q.enum_list("omitActions", &ACTIONS)?;
    let content_ids = q.list("contentIds")?;
    let content_type = match q.get("contentType")? {
        Some(t) if !CONTENT_TYPES.contains(&t) => {
            return Err(ApiError::bad_request(format!(
                "contentType must be one of: {}",
                CONTENT_TYPES.join(", ")
            )));
        }
        other => other.map(str::to_owned),
    };
    let format = "YYYY-MM-DD hh:mm:ss";
    let from = q
        .time_with("timestampFrom", parse_space_format, format)?
        .map(|p| p.millis);
    let to = q
        .time_with("timestampTo", parse_space_format, format)?
        .map(upper_bound);
    let db = state.db();
    let matches: Vec<&Activity> = db
        .activities
        .iter()
        .filter(|a| {
            actions
                .as_ref()
                .is_none_or(|x| x.iter().any(|k| k == a.kind))
        })
        .filter(|a| omit.as_ref().is_none_or(|x| !x.iter().any(|k| k == a.kind)))
        .filter(|a| {
            content_ids
                .as_ref()
                .is_none_or(|ids| a.context_type == "content" && ids.contains(&a.context_id))
        })
        .filter(|a| {
            content_type
                .as_ref()
                .is_none_or(|t| a.content_type.as_ref() == Some(t))
        })
        .filter(|a| from.is_none_or(|f| a.date >= f))
        .filter(|a| to.is_none_or(|t| a.date <= t))
        .collect();
    Ok(ok(paging.page_of(matches, Activity::to_json)))
}
