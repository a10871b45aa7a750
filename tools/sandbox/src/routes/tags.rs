//! Tags, learner tags and skills, skill levels (operations #42–#47).

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::routing::{get, patch, post};
use serde_json::Value;

use super::common::{ApiResult, ok};
use crate::error::ApiError;
use crate::model::tags::{SkillLevel, Tag};
use crate::request::{PageSpec, PathParams, QueryParams, json_object};
use crate::state::SandboxState;
use crate::time::now_millis;

pub(super) fn routes() -> Router<SandboxState> {
    Router::new()
        .route("/rest/v1/tags", get(list_tags))
        .route("/rest/v1/tags/{tagId}", get(get_tag))
        .route(
            "/rest/v1/users/{userId}/tags",
            post(add_user_tags).patch(remove_user_tags),
        )
        .route("/rest/v1/users/{userId}/skills", patch(update_user_skills))
        .route("/rest/v1/skills/levels", get(skill_levels))
}

/// Paginated envelope (the seed/Sim reading), default 100; `updatedSince`
/// compares the tag's last change.
async fn list_tags(State(state): State<SandboxState>, q: QueryParams) -> ApiResult {
    let paging = q.paging(PageSpec::STANDARD)?;
    let since = q.updated_since()?;
    let db = state.db();
    let matches: Vec<&Tag> = db
        .tags
        .iter()
        .filter(|t| since.is_none_or(|s| t.updated_at >= s))
        .collect();
    Ok(ok(paging.page_of(matches, |t| db.tag_json(t))))
}

async fn get_tag(
    State(state): State<SandboxState>,
    PathParams(id): PathParams<String>,
) -> ApiResult {
    let db = state.db();
    db.tags
        .iter()
        .find(|t| t.id == id)
        .map(|t| ok(db.tag_json(t)))
        .ok_or_else(|| ApiError::not_found("Tag not found"))
}

async fn add_user_tags(
    State(state): State<SandboxState>,
    PathParams(user_id): PathParams<String>,
    body: Bytes,
) -> ApiResult {
    let map = json_object(&body)?;
    let message = state.db().add_user_tags(&user_id, &map, now_millis())?;
    Ok(ok(message))
}

async fn remove_user_tags(
    State(state): State<SandboxState>,
    PathParams(user_id): PathParams<String>,
    body: Bytes,
) -> ApiResult {
    let map = json_object(&body)?;
    let message = state.db().remove_user_tags(&user_id, &map, now_millis())?;
    Ok(ok(message))
}

async fn update_user_skills(
    State(state): State<SandboxState>,
    PathParams(user_id): PathParams<String>,
    body: Bytes,
) -> ApiResult {
    let map = json_object(&body)?;
    let message = state
        .db()
        .update_user_skills(&user_id, &map, now_millis())?;
    Ok(ok(message))
}

/// A bare array, not paginated.
async fn skill_levels(State(state): State<SandboxState>) -> ApiResult {
    let db = state.db();
    Ok(ok(Value::Array(
        db.skill_levels.iter().map(SkillLevel::to_json).collect(),
    )))
}
