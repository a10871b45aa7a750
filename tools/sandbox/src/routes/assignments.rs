//! Assignments and enrolments (operations #21–#27).

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::routing::get;
use serde_json::Value;

use super::common::{ApiResult, created, deleted, ok};
use crate::error::ApiError;
use crate::model::assignments::EnrolmentStatus;
use crate::request::{PageSpec, PathParams, QueryParams, json_object};
use crate::state::SandboxState;
use crate::time::{now_millis, upper_bound};

pub(super) fn routes() -> Router<SandboxState> {
    Router::new()
        .route(
            "/rest/v1/assignments",
            get(list_assignments).post(create_assignment),
        )
        .route(
            "/rest/v1/assignments/{assignmentId}",
            get(get_assignment)
                .patch(update_assignment)
                .delete(delete_assignment),
        )
        .route(
            "/rest/v1/assignments/{assignmentId}/enrolments",
            get(list_enrolments),
        )
        .route(
            "/rest/v1/assignments/{assignmentId}/enrolments/{enrolmentId}",
            get(get_enrolment),
        )
}

/// A bare array. Filters: `audienceId` (id or reference; unknown → 404),
/// `updatedSince`. `perPage` 1–100 (default 100) wins over `limit` (1–100).
async fn list_assignments(State(state): State<SandboxState>, q: QueryParams) -> ApiResult {
    let paging = q.paging(PageSpec::SMALL_WITH_LIMIT)?;
    let since = q.updated_since()?;
    let audience = q.get("audienceId")?.map(str::to_owned);
    let db = state.db();
    let audience_id = match audience {
        Some(ident) => Some(db.audiences[db.audience_or_404(&ident)?].id.clone()),
        None => None,
    };
    let matches: Vec<Value> = db
        .assignments
        .iter()
        .filter(|a| !a.is_deleted)
        .filter(|a| audience_id.as_ref().is_none_or(|id| &a.audience_id == id))
        .filter(|a| since.is_none_or(|s| a.updated_at >= s))
        .map(|a| a.to_json())
        .collect();
    Ok(ok(Value::Array(paging.slice(matches))))
}

async fn create_assignment(State(state): State<SandboxState>, body: Bytes) -> ApiResult {
    let map = json_object(&body)?;
    let assignment = state.db().create_assignment(&map, now_millis())?;
    Ok(created(assignment))
}

async fn get_assignment(
    State(state): State<SandboxState>,
    PathParams(id): PathParams<String>,
) -> ApiResult {
    let db = state.db();
    let idx = db.assignment_or_404(&id)?;
    Ok(ok(db.assignments[idx].to_json()))
}

async fn update_assignment(
    State(state): State<SandboxState>,
    PathParams(id): PathParams<String>,
    body: Bytes,
) -> ApiResult {
    let map = json_object(&body)?;
    let assignment = state.db().update_assignment(&id, &map, now_millis())?;
    Ok(ok(assignment))
}

/// DELETE with a required JSON body `{audienceId}`.
async fn delete_assignment(
    State(state): State<SandboxState>,
    PathParams(id): PathParams<String>,
    body: Bytes,
) -> ApiResult {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::bad_request(
            "audienceId is required in the request body",
        ));
    }
    let map = json_object(&body)?;
    state.db().delete_assignment(&id, &map, now_millis())?;
    Ok(deleted(&state))
}

/// A bare array. Filters: `status` (one value), `updatedAtFrom`,
/// `updatedAtTo` (inclusive; requires `updatedAtFrom`, else 422).
async fn list_enrolments(
    State(state): State<SandboxState>,
    PathParams(id): PathParams<String>,
    q: QueryParams,
) -> ApiResult {
    let paging = q.paging(PageSpec::SMALL)?;
    let status = match q.get("status")? {
        None => None,
        Some(s) => Some(EnrolmentStatus::parse(s).ok_or_else(|| {
            ApiError::bad_request(format!(
                "status must be one of: {}",
                EnrolmentStatus::NAMES.join(", ")
            ))
        })?),
    };
    let from = q.iso("updatedAtFrom")?.map(|p| p.millis);
    let to = q.iso("updatedAtTo")?.map(upper_bound);
    if to.is_some() && from.is_none() {
        return Err(ApiError::unprocessable_field(
            "updatedAtTo",
            "updatedAtTo requires updatedAtFrom",
        ));
    }
    let db = state.db();
    let a = &db.assignments[db.assignment_or_404(&id)?];
    let matches: Vec<Value> = a
        .enrolments
        .iter()
        .filter(|e| status.is_none_or(|s| e.status == s))
        .filter(|e| from.is_none_or(|f| e.updated_at >= f))
        .filter(|e| to.is_none_or(|t| e.updated_at <= t))
        .map(|e| a.enrolment_json(e))
        .collect();
    Ok(ok(Value::Array(paging.slice(matches))))
}

async fn get_enrolment(
    State(state): State<SandboxState>,
    PathParams((id, enrolment_id)): PathParams<(String, String)>,
) -> ApiResult {
    let db = state.db();
    let a = &db.assignments[db.assignment_or_404(&id)?];
    let e = a
        .enrolments
        .iter()
        .find(|e| e.id == enrolment_id)
        .ok_or_else(|| ApiError::not_found("Enrolment not found"))?;
    Ok(ok(a.enrolment_json(e)))
}
