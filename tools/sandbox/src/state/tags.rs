//! Tags, a learner's tags and skills, and the tenant's skill levels
//! (behaviour.md §18).
//!
//! Choices for undocumented behaviour:
//! - Tag names match case-insensitively; the stored spelling is kept.
//! - Tags added to a learner are recorded as the learner's *interests* (the
//!   tag's `interests` list, the user's `tags.interests` and
//!   `tagsFollowing`); skills set through update-skills appear in the tag's
//!   `skills` list and the user's `tags.skills`.
//! - Unknown tag names (add, remove or skills) are 422 with the names listed,
//!   and nothing changes.
//! - The message counts the distinct names in the request: adding a tag the
//!   learner already has, or removing one they lack, is a counted no-op.
//! - `op`/`path` other than the documented single values, a `value`/`tags`
//!   that is not an array of 1–100 items, or items of the wrong type are
//!   400. `level`/`targetLevel` below −1 are 422; `null` clears a level; the
//!   configured skill-level values do not limit them (the docs allow 1024).
//! - A tag's `updatedAt` (used only by `updatedSince`) moves when learners
//!   gain or lose it.
//! - The target user is addressed by Thrive id; unknown or deleted users are
//!   404.

use std::collections::HashSet;

use serde_json::{Map, Value, json};

use super::db::Db;
use crate::error::ApiError;
use crate::fields::{Field, check_item_count, field_number, field_string};
use crate::model::tags::Tag;
use crate::model::users::UserSkill;
use crate::time::Millis;

fn message(status: u16, text: String) -> Value {
    json!({ "status": status, "message": text })
}

fn string_items(items: &[Value], what: &str) -> Result<Vec<String>, ApiError> {
    items
        .iter()
        .map(|v| match v {
            Value::String(s) if !s.trim().is_empty() => Ok(s.trim().to_owned()),
            _ => Err(ApiError::bad_request(format!(
                "{what} must be an array of tag names"
            ))),
        })
        .collect()
}

fn array_field<'a>(map: &'a Map<String, Value>, key: &str) -> Result<&'a [Value], ApiError> {
    match map.get(key) {
        Some(Value::Array(items)) => {
            check_item_count(items.len(), key)?;
            Ok(items)
        }
        None | Some(Value::Null) => Err(ApiError::bad_request(format!("{key} is required"))),
        Some(_) => Err(ApiError::bad_request(format!("{key} must be an array"))),
    }
}

fn fixed(map: &Map<String, Value>, key: &str, expected: &str) -> Result<(), ApiError> {
    match field_string(map, key)? {
        Field::Set(s) if s == expected => Ok(()),
        _ => Err(ApiError::bad_request(format!(
            "{key} is required and must be \"{expected}\""
        ))),
    }
}

impl Db {
    /// The tag object, with its content and user lists computed from state.
    pub(crate) fn tag_json(&self, tag: &Tag) -> Value {
        let contents: Vec<&str> = self
            .contents
            .iter()
            .filter(|c| c.tags.iter().any(|t| t.eq_ignore_ascii_case(&tag.name)))
            .map(|c| c.id.as_str())
            .collect();
        let live = || self.users.list.iter().filter(|u| !u.deleted);
        let interests: Vec<&str> = live()
            .filter(|u| u.interests.contains(&tag.id))
            .map(|u| u.id.as_str())
            .collect();
        let skills: Vec<&str> = live()
            .filter(|u| u.skills.iter().any(|s| s.tag_id == tag.id))
            .map(|u| u.id.as_str())
            .collect();
        json!({
            "tag": tag.name,
            "id": tag.id,
            "contents": contents,
            "campaigns": tag.campaigns,
            "interests": interests,
            "skills": skills,
        })
    }

    /// A tag index by name (case-insensitive).
    pub(crate) fn tag_by_name(&self, name: &str) -> Option<usize> {
        self.tags
            .iter()
            .position(|t| t.name.eq_ignore_ascii_case(name))
    }

    /// Resolves distinct names to tag indexes, or 422 naming the unknown ones.
    fn resolve_tags(&self, names: &[String], field: &str) -> Result<Vec<usize>, ApiError> {
        let mut seen = HashSet::new();
        let mut found = Vec::new();
        let mut missing = Vec::new();
        for name in names {
            if !seen.insert(name.to_lowercase()) {
                continue;
            }
            match self.tag_by_name(name) {
                Some(i) => found.push(i),
                None => missing.push(name.clone()),
            }
        }
        if missing.is_empty() {
            Ok(found)
        } else {
            Err(ApiError::unprocessable_field(
                field,
                &format!("Tag(s) do not exist: {}", missing.join(", ")),
            ))
        }
    }

    fn learner(&self, user_id: &str) -> Result<usize, ApiError> {
        self.users
            .by_id(user_id)
            .ok_or_else(|| ApiError::not_found("User not found"))
    }

    /// `POST /rest/v1/users/{userId}/tags` with `{tags: [...]}`.
    pub(crate) fn add_user_tags(
        &mut self,
        user_id: &str,
        map: &Map<String, Value>,
        now: Millis,
    ) -> Result<Value, ApiError> {
        let names = string_items(array_field(map, "tags")?, "tags")?;
        let u = self.learner(user_id)?;
        let tags = self.resolve_tags(&names, "tags")?;
        for &t in &tags {
            let tag_id = self.tags[t].id.clone();
            let user = &mut self.users.list[u];
            if !user.interests.contains(&tag_id) {
                user.interests.push(tag_id);
                user.updated_at = now;
                self.tags[t].updated_at = now;
            }
        }
        Ok(message(
            200,
            format!("{} tag(s) added successfully to the learner.", tags.len()),
        ))
    }

    /// `PATCH /rest/v1/users/{userId}/tags` with
    /// `{op: "remove", path: "tags", value: [...]}`.
    pub(crate) fn remove_user_tags(
        &mut self,
        user_id: &str,
        map: &Map<String, Value>,
        now: Millis,
    ) -> Result<Value, ApiError> {
        fixed(map, "op", "remove")?;
        fixed(map, "path", "tags")?;
        let names = string_items(array_field(map, "value")?, "value")?;
        let u = self.learner(user_id)?;
        let tags = self.resolve_tags(&names, "value")?;
        for &t in &tags {
            let tag_id = self.tags[t].id.clone();
            let user = &mut self.users.list[u];
            let before = user.interests.len();
            user.interests.retain(|x| x != &tag_id);
            if user.interests.len() != before {
                user.updated_at = now;
                self.tags[t].updated_at = now;
            }
        }
        Ok(message(
            200,
            format!(
                "{} tag(s) removed successfully from the learner.",
                tags.len()
            ),
        ))
    }

    /// `PATCH /rest/v1/users/{userId}/skills` with
    /// `{op: "update", path: "skills", value: [{tagName, level?, targetLevel?}]}`.
    pub(crate) fn update_user_skills(
        &mut self,
        user_id: &str,
        map: &Map<String, Value>,
        now: Millis,
    ) -> Result<Value, ApiError> {
        fixed(map, "op", "update")?;
        fixed(map, "path", "skills")?;
        let items = array_field(map, "value")?;
        let mut parsed: Vec<(String, Field<f64>, Field<f64>)> = Vec::new();
        for item in items {
            let Value::Object(obj) = item else {
                return Err(ApiError::bad_request(
                    "value must be an array of {tagName, level, targetLevel} objects",
                ));
            };
            let name = match field_string(obj, "tagName")? {
                Field::Set(s) if !s.trim().is_empty() => s.trim().to_owned(),
                _ => return Err(ApiError::bad_request("tagName is required for every skill")),
            };
            let level = field_number(obj, "level")?;
            let target = field_number(obj, "targetLevel")?;
            for (key, f) in [("level", &level), ("targetLevel", &target)] {
                if let Field::Set(v) = f
                    && *v < -1.0
                {
                    return Err(ApiError::unprocessable_field(
                        key,
                        &format!("{key} must not be less than -1"),
                    ));
                }
            }
            parsed.push((name, level, target));
        }
        let u = self.learner(user_id)?;
        let names: Vec<String> = parsed.iter().map(|p| p.0.clone()).collect();
        let distinct = self.resolve_tags(&names, "value")?.len();
        for (name, level, target) in parsed {
            let Some(t) = self.tag_by_name(&name) else {
                continue;
            };
            let tag_id = self.tags[t].id.clone();
            self.tags[t].updated_at = now;
            let user = &mut self.users.list[u];
            user.updated_at = now;
            let skill = match user.skills.iter().position(|s| s.tag_id == tag_id) {
                Some(i) => &mut user.skills[i],
                None => {
                    user.skills.push(UserSkill {
                        tag_id,
                        level: None,
                        target_level: None,
                    });
                    let last = user.skills.len() - 1;
                    &mut user.skills[last]
                }
            };
            match level {
                Field::Set(v) => skill.level = Some(v),
                Field::Null => skill.level = None,
                Field::Absent => {}
            }
            match target {
                Field::Set(v) => skill.target_level = Some(v),
                Field::Null => skill.target_level = None,
                Field::Absent => {}
            }
        }
        Ok(message(
            200,
            format!("{distinct} skill(s) updated successfully for the learner."),
        ))
    }
}
