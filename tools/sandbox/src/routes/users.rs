//! Users: v2 lifecycle writes and v1 reads (operations #1–#7).

use std::collections::HashSet;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::routing::{get, patch, post};
use serde_json::Map;

use super::common::{ApiResult, created, deleted, ok};
use crate::error::ApiError;
use crate::model::users::UserStatus;
use crate::request::{PageSpec, PathParams, QueryParams, json_object};
use crate::state::SandboxState;
use crate::time::now_millis;

pub(super) fn routes() -> Router<SandboxState> {
    Router::new()
        .route("/rest/v2/users", post(create_user))
        .route(
            "/rest/v2/users/ref/{ref}",
            patch(update_user).delete(delete_user),
        )
        .route(
            "/rest/v2/users/ref/",
            patch(missing_ref).delete(missing_ref),
        )
        .route("/rest/v2/users/ref/{ref}/suspend", patch(suspend_user))
        .route("/rest/v1/users", get(search_users))
        .route("/rest/v1/user/{id}", get(get_user))
        .route("/rest/v1/users/ref/{ref}", get(get_user_by_ref))
        .route("/rest/v1/users/ref/", get(missing_ref))
}

/// An empty `{ref}` segment: the documented 400 "ref missing".
async fn missing_ref() -> ApiResult {
    Err(ApiError::bad_request("ref is required"))
}

async fn create_user(State(state): State<SandboxState>, body: Bytes) -> ApiResult {
    let map = json_object(&body)?;
    let user = state.db().create_user(&map, now_millis())?;
    Ok(created(user))
}

async fn update_user(
    State(state): State<SandboxState>,
    PathParams(reference): PathParams<String>,
    body: Bytes,
) -> ApiResult {
    let map = json_object(&body)?;
    let user = state.db().update_user(&reference, &map, now_millis())?;
    Ok(ok(user))
}

/// Suspend accepts an empty body as `{}`.
async fn suspend_user(
    State(state): State<SandboxState>,
    PathParams(reference): PathParams<String>,
    body: Bytes,
) -> ApiResult {
    let map = if body.iter().all(u8::is_ascii_whitespace) {
        Map::new()
    } else {
        json_object(&body)?
    };
    let user = state.db().suspend_user(&reference, &map, now_millis())?;
    Ok(ok(user))
}

async fn delete_user(
    State(state): State<SandboxState>,
    PathParams(reference): PathParams<String>,
) -> ApiResult {
    state.db().delete_user(&reference, now_millis())?;
    Ok(deleted(&state))
}

fn status_set(items: Option<Vec<String>>) -> Option<HashSet<UserStatus>> {
    items.map(|v| v.iter().filter_map(|s| UserStatus::parse(s)).collect())
}

/// Filters: `updatedSince` (on or after), `statuses` (any of), `status`
/// (exactly; combined with `statuses` both must hold), `omitStatuses`.
async fn search_users(State(state): State<SandboxState>, q: QueryParams) -> ApiResult {
    let paging = q.paging(PageSpec::STANDARD)?;
    let since = q.updated_since()?;
    let statuses = status_set(q.enum_list("statuses", &UserStatus::NAMES)?);
    let omit = status_set(q.enum_list("omitStatuses", &UserStatus::NAMES)?).unwrap_or_default();
    let single = match q.get("status")? {
        None => None,
        Some(s) => Some(UserStatus::parse(s).ok_or_else(|| {
            ApiError::bad_request(format!(
                "status must be one of: {}",
                UserStatus::NAMES.join(", ")
            ))
        })?),
    };
    let include = match (statuses, single) {
        (Some(set), Some(one)) => Some(set.into_iter().filter(|s| *s == one).collect()),
        (Some(set), None) => Some(set),
        (None, Some(one)) => Some(HashSet::from([one])),
        (None, None) => None,
    };
    let db = state.db();
    let users = db.search_users(since, include.as_ref(), &omit);
    let ctx = db.user_ctx();
    Ok(ok(paging.page_of(users, |u| db.user_v1_json(u, &ctx))))
}

async fn get_user(
    State(state): State<SandboxState>,
    PathParams(id): PathParams<String>,
) -> ApiResult {
    let db = state.db();
    let idx = db
        .users
        .by_id(&id)
        .ok_or_else(|| ApiError::not_found("User not found"))?;
    let ctx = db.user_ctx();
    Ok(ok(db.user_v1_json(&db.users.list[idx], &ctx)))
}

async fn get_user_by_ref(
    State(state): State<SandboxState>,
    PathParams(reference): PathParams<String>,
) -> ApiResult {
    let db = state.db();
    let idx = db
        .users
        .by_ref(&reference)
        .ok_or_else(|| ApiError::not_found("User not found"))?;
    let ctx = db.user_ctx();
    Ok(ok(db.user_basic_json(&db.users.list[idx], &ctx)))
}
