//! Inbound provisioning: `POST /webhooks`.

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::Response;
use axum::routing::post;
use serde_json::{Map, Value, json};

use super::common::ok;
use crate::error::ApiError;
use crate::request::json_object;
use crate::state::SandboxState;
use crate::time::now_millis;

/// Inbound provisioning (webhooks.md §2): `POST /webhooks`, which Thrive
/// serves on its user API hosts; the sandbox serves it on its one origin.
///
/// Choices for undocumented behaviour: the answer is
/// `200 {"success": true, "id": <the envelope id>}`; a missing `id`,
/// `eventType` or `content.user.ref`, or an unknown `eventType`, is 400;
/// an unknown ref for update, suspend or delete is 404. `user_joined`
/// unsuspends an existing user with that ref (status `active`), otherwise
/// creates one (v2 create rules); `user_updated` applies the fields given
/// except `ref`; `user_suspended` takes `endDate`; `user_deleted`
/// obfuscates like the REST delete.
pub(crate) fn routes() -> Router<SandboxState> {
    Router::new().route("/webhooks", post(provision))
}

async fn provision(State(state): State<SandboxState>, body: Bytes) -> Result<Response, ApiError> {
    let envelope = json_object(&body)?;
    let text = |v: Option<&Value>, name: &str| {
        v.and_then(Value::as_str)
            .filter(|s| !s.trim().is_empty())
            .map(str::to_owned)
            .ok_or_else(|| ApiError::bad_request(format!("{name} is required")))
    };
    let id = text(envelope.get("id"), "id")?;
    let event_type = text(envelope.get("eventType"), "eventType")?;
    let user = envelope
        .get("content")
        .and_then(|c| c.get("user"))
        .and_then(Value::as_object)
        .cloned()
        .ok_or_else(|| ApiError::bad_request("content.user is required"))?;
    let reference = text(user.get("ref"), "content.user.ref")?;
    let now = now_millis();
    match event_type.as_str() {
        "user_joined" => {
            let existing = state.user_by_ref(&reference);
            if existing.is_some() {
                state.set_user_status(&reference, "active");
            } else {
                let mut map = Map::new();
                for key in ["ref", "email", "firstName", "lastName"] {
                    if let Some(v) = user.get(key) {
                        map.insert(key.into(), v.clone());
                    }
                }
                state.db().create_user(&map, now)?;
            }
        }
        "user_updated" => {
            let mut map = user.clone();
            map.remove("ref");
            for key in ["jobTitle", "managerRef", "startDate"] {
                map.remove(key);
            }
            state.db().update_user(&reference, &map, now)?;
        }
        "user_suspended" => {
            let mut map = Map::new();
            if let Some(end) = user.get("endDate") {
                map.insert("endDate".into(), end.clone());
            }
            state.db().suspend_user(&reference, &map, now)?;
        }
        "user_deleted" => {
            state.db().delete_user(&reference, now)?;
        }
        other => {
            return Err(ApiError::bad_request(format!(
                "eventType {other:?} is not one of user_joined, user_updated, user_suspended, user_deleted"
            )));
        }
    }
    Ok(ok(json!({"success": true, "id": id})))
}
