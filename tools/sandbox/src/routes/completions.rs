//! Learning completions (operations #28–#30).

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::routing::get;
use serde_json::Value;

use super::common::{ApiResult, ok, with_status};
use crate::error::ApiError;
use crate::model::completions::{Completion, CompletionFilter};
use crate::request::{PageSpec, PathParams, QueryParams, json_object};
use crate::state::SandboxState;
use crate::time::{now_millis, upper_bound};

pub(super) fn routes() -> Router<SandboxState> {
    Router::new()
        .route(
            "/rest/v1/learning/completions",
            get(list_completions).post(create_completion),
        )
        .route("/rest/v1/learning/completions/{id}", get(get_completion))
}

/// A bare array, `perPage` 1–1000 (default 1000). Filters: `contentId`,
/// `userId`, `isRPL`, `completedDateRangeStart`/`End` (inclusive, a date or a
/// date-time).
async fn list_completions(State(state): State<SandboxState>, q: QueryParams) -> ApiResult {
    let paging = q.paging(PageSpec::THOUSAND)?;
    let filter = CompletionFilter {
        content_id: q.get("contentId")?.map(str::to_owned),
        user_id: q.get("userId")?.map(str::to_owned),
        is_rpl: q.boolean("isRPL")?,
        from: q.iso("completedDateRangeStart")?.map(|p| p.millis),
        to: q.iso("completedDateRangeEnd")?.map(upper_bound),
    };
    let db = state.db();
    let matches: Vec<Value> = db
        .list_completions(&filter)
        .into_iter()
        .map(Completion::to_json)
        .collect();
    Ok(ok(Value::Array(paging.slice(matches))))
}

async fn create_completion(State(state): State<SandboxState>, body: Bytes) -> ApiResult {
    let map = json_object(&body)?;
    let (status, stub) = state.db().create_completion(&map, now_millis())?;
    Ok(with_status(status, stub))
}

/// By record id or by statement id.
async fn get_completion(
    State(state): State<SandboxState>,
    PathParams(id): PathParams<String>,
) -> ApiResult {
    let db = state.db();
    db.completions
        .iter()
        .find(|c| c.id == id || c.statement_id == id)
        .map(|c| ok(c.to_json()))
        .ok_or_else(|| ApiError::not_found("Completion not found"))
}
