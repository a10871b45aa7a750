//! Audiences, members and managers (operations #8–#20).

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::routing::{delete, get, patch};
use serde_json::Value;

use super::common::{ApiResult, created, deleted, ok, with_status};
use crate::request::{PageSpec, PathParams, QueryParams, json_array, json_object};
use crate::state::SandboxState;
use crate::time::now_millis;

pub(super) fn routes() -> Router<SandboxState> {
    Router::new()
        .route(
            "/rest/v1/audiences",
            get(list_audiences).post(create_audience),
        )
        .route(
            "/rest/v1/audiences/{audienceId}",
            get(get_audience)
                .patch(update_audience)
                .delete(delete_audience),
        )
        // The newer docs revision prints the update path with a trailing slash.
        .route("/rest/v1/audiences/{audienceId}/", patch(update_audience))
        .route(
            "/rest/v1/audiences/{audienceId}/members",
            get(list_members).post(add_members).patch(replace_members),
        )
        .route(
            "/rest/v1/audiences/{audienceId}/members/{userRef}",
            delete(remove_member),
        )
        .route(
            "/rest/v1/audiences/{audienceId}/managers",
            get(list_managers)
                .post(add_managers)
                .patch(replace_managers),
        )
        .route(
            "/rest/v1/audiences/{audienceId}/managers/{userId}",
            delete(remove_manager),
        )
}

/// Filters: `apiControlled`, `updatedSince`. `limit` (1–100) is accepted as
/// the docs describe; `perPage` wins.
async fn list_audiences(State(state): State<SandboxState>, q: QueryParams) -> ApiResult {
    let paging = q.paging(PageSpec::STANDARD_WITH_LIMIT)?;
    let api_controlled = q.boolean("apiControlled")?;
    let since = q.updated_since()?;
    let db = state.db();
    let matches: Vec<_> = db
        .audiences
        .iter()
        .filter(|a| api_controlled.is_none_or(|x| a.api_controlled == x))
        .filter(|a| since.is_none_or(|s| a.updated_at >= s))
        .collect();
    Ok(ok(paging.page_of(matches, |a| db.audience_json(a))))
}

async fn create_audience(State(state): State<SandboxState>, body: Bytes) -> ApiResult {
    let map = json_object(&body)?;
    let audience = state.db().create_audience(&map, now_millis())?;
    Ok(created(audience))
}

async fn get_audience(
    State(state): State<SandboxState>,
    PathParams(id): PathParams<String>,
) -> ApiResult {
    let db = state.db();
    let idx = db.audience_or_404(&id)?;
    Ok(ok(db.audience_json(&db.audiences[idx])))
}

async fn update_audience(
    State(state): State<SandboxState>,
    PathParams(id): PathParams<String>,
    body: Bytes,
) -> ApiResult {
    let map = json_object(&body)?;
    let (status, audience) = state.db().update_audience(&id, &map, now_millis())?;
    Ok(with_status(status, audience))
}

async fn delete_audience(
    State(state): State<SandboxState>,
    PathParams(id): PathParams<String>,
) -> ApiResult {
    let mode = state.shared.config.delete_structure;
    state.db().delete_audience(&id, mode, now_millis())?;
    Ok(deleted(&state))
}

/// `page`/`perPage` (1–1000, default 100) and `limit` (1–100).
async fn list_members(
    State(state): State<SandboxState>,
    PathParams(id): PathParams<String>,
    q: QueryParams,
) -> ApiResult {
    let paging = q.paging(PageSpec::STANDARD_WITH_LIMIT)?;
    let members = state.db().list_members(&id)?;
    Ok(ok(paging.page_of(members, |m| m)))
}

async fn write_members(state: &SandboxState, id: &str, body: &Bytes, replace: bool) -> ApiResult {
    let items: Vec<Value> = json_array(body, "members")?;
    let result = state
        .db()
        .write_members(id, &items, replace, now_millis())?;
    Ok(with_status(result.status(), result.to_json()))
}

async fn add_members(
    State(state): State<SandboxState>,
    PathParams(id): PathParams<String>,
    body: Bytes,
) -> ApiResult {
    write_members(&state, &id, &body, false).await
}

async fn replace_members(
    State(state): State<SandboxState>,
    PathParams(id): PathParams<String>,
    body: Bytes,
) -> ApiResult {
    write_members(&state, &id, &body, true).await
}

async fn remove_member(
    State(state): State<SandboxState>,
    PathParams((id, user)): PathParams<(String, String)>,
) -> ApiResult {
    state.db().remove_member(&id, &user, now_millis())?;
    Ok(deleted(&state))
}

/// Not paginated: paging parameters are ignored.
async fn list_managers(
    State(state): State<SandboxState>,
    PathParams(id): PathParams<String>,
) -> ApiResult {
    let managers = state.db().list_managers(&id)?;
    Ok(ok(Value::Array(managers)))
}

async fn write_managers(state: &SandboxState, id: &str, body: &Bytes, replace: bool) -> ApiResult {
    let items: Vec<Value> = json_array(body, "managers")?;
    let result = state.db().write_managers(id, &items, replace)?;
    Ok(with_status(result.status(), result.to_json()))
}

async fn add_managers(
    State(state): State<SandboxState>,
    PathParams(id): PathParams<String>,
    body: Bytes,
) -> ApiResult {
    write_managers(&state, &id, &body, false).await
}

async fn replace_managers(
    State(state): State<SandboxState>,
    PathParams(id): PathParams<String>,
    body: Bytes,
) -> ApiResult {
    write_managers(&state, &id, &body, true).await
}

async fn remove_manager(
    State(state): State<SandboxState>,
    PathParams((id, user)): PathParams<(String, String)>,
) -> ApiResult {
    state.db().remove_manager(&id, &user)?;
    Ok(deleted(&state))
}
