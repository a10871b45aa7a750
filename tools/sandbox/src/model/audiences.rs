//! Audience, structure and manager records and their JSON views.
//!
//! Plain data: the rules that change them are in `state` (and the choices
//! for undocumented behaviour are written there).

use std::collections::HashSet;

use axum::http::StatusCode;
use serde_json::{Map, Value, json};

use crate::error::ApiError;
use crate::time::Millis;

/// `structure` (top level) or `audience` (child).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Category {
    /// A top-level parent audience.
    Structure,
    /// A child audience inside a structure.
    Audience,
}

impl Category {
    /// The wire name.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Category::Structure => "structure",
            Category::Audience => "audience",
        }
    }
}

/// Manager permissions, output form (a superset of the input form).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Permissions {
    pub manage_members: bool,
    pub manage_content: bool,
    pub assignments: bool,
    pub can_view_learn_page: bool,
    pub insights: bool,
    pub manage: bool,
    pub can_manage_audiences: bool,
    pub can_add_audience_managers: bool,
}

impl Permissions {
    /// The list-managers form; `administrator` only for structures.
    pub(crate) fn to_json(self, structure: bool) -> Value {
        let mut out = Map::new();
        if structure {
            out.insert(
                "administrator".to_owned(),
                json!({
                    "canManageAudiences": self.can_manage_audiences,
                    "canAddAudienceManagers": self.can_add_audience_managers,
                }),
            );
        }
        out.insert(
            "audienceManager".to_owned(),
            json!({
                "manageMembers": self.manage_members,
                "manageContent": self.manage_content,
                "assignments": self.assignments,
            }),
        );
        out.insert(
            "peopleManager".to_owned(),
            json!({
                "canViewLearnPage": self.can_view_learn_page,
                "insights": self.insights,
                "manage": self.manage,
            }),
        );
        Value::Object(out)
    }

    /// Parses an input `permissions` object (400 on wrong types).
    pub(crate) fn parse(value: Option<&Value>, structure: bool) -> Result<Self, ApiError> {
        let mut p = Permissions::default();
        let obj = match value {
            None | Some(Value::Null) => return Ok(p),
            Some(Value::Object(o)) => o,
            Some(_) => return Err(ApiError::bad_request("permissions must be an object")),
        };
        let set = |name: &str| -> Result<Option<&Map<String, Value>>, ApiError> {
            match obj.get(name) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::Object(o)) => Ok(Some(o)),
                Some(_) => Err(ApiError::bad_request(format!(
                    "permissions.{name} must be an object"
                ))),
            }
        };
        let flag = |o: &Map<String, Value>, set: &str, key: &str| -> Result<bool, ApiError> {
            match o.get(key) {
                None | Some(Value::Null) => Ok(false),
                Some(Value::Bool(b)) => Ok(*b),
                Some(_) => Err(ApiError::bad_request(format!(
                    "permissions.{set}.{key} must be a boolean"
                ))),
            }
        };
        if let Some(o) = set("audienceManager")? {
            p.manage_members = flag(o, "audienceManager", "manageMembers")?;
            p.manage_content = flag(o, "audienceManager", "manageContent")?;
            p.assignments = flag(o, "audienceManager", "assignments")?;
        }
        if let Some(o) = set("peopleManager")? {
            p.can_view_learn_page = flag(o, "peopleManager", "canViewLearnPage")?;
            p.insights = flag(o, "peopleManager", "insights")?;
            p.manage = flag(o, "peopleManager", "manage")?;
        }
        if let Some(o) = set("administrator")? {
            let manage = flag(o, "administrator", "canManageAudiences")?;
            let add = flag(o, "administrator", "canAddAudienceManagers")?;
            if structure {
                p.can_manage_audiences = manage;
                p.can_add_audience_managers = add;
            }
        }
        Ok(p)
    }
}

/// One manager of an audience.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Manager {
    pub user_id: String,
    pub permissions: Permissions,
}

/// A stored audience or structure.
#[derive(Clone, Debug)]
pub(crate) struct Audience {
    pub id: String,
    pub name: String,
    pub reference: Option<String>,
    pub api_controlled: bool,
    pub category: Category,
    /// `manual` or `smart`.
    pub kind: &'static str,
    pub parent_id: Option<String>,
    pub created_at: Millis,
    pub updated_at: Millis,
    /// Member user ids in the order they were added.
    pub members: Vec<String>,
    member_set: HashSet<String>,
    pub managers: Vec<Manager>,
}

impl Audience {
    /// A new, empty audience.
    pub(crate) fn new(
        id: String,
        name: String,
        reference: Option<String>,
        category: Category,
        parent_id: Option<String>,
        api_controlled: bool,
        now: Millis,
    ) -> Self {
        Audience {
            id,
            name,
            reference,
            api_controlled,
            category,
            kind: "manual",
            parent_id,
            created_at: now,
            updated_at: now,
            members: Vec::new(),
            member_set: HashSet::new(),
            managers: Vec::new(),
        }
    }

    /// Whether `user_id` is a member.
    pub(crate) fn has_member(&self, user_id: &str) -> bool {
        self.member_set.contains(user_id)
    }

    /// Adds a member; `false` if already there.
    pub(crate) fn push_member(&mut self, user_id: &str) -> bool {
        if self.member_set.insert(user_id.to_owned()) {
            self.members.push(user_id.to_owned());
            true
        } else {
            false
        }
    }

    /// Removes a member; `false` if not there.
    pub(crate) fn remove_member(&mut self, user_id: &str) -> bool {
        if self.member_set.remove(user_id) {
            self.members.retain(|m| m != user_id);
            true
        } else {
            false
        }
    }
}

/// The `{success, failure}` result of add/replace calls and of
/// `memberOperations`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct BatchResult {
    /// References (as sent) that succeeded.
    pub success: Vec<String>,
    /// `(reference as sent, reason)` pairs that failed.
    pub failure: Vec<(String, String)>,
}

impl BatchResult {
    /// 200 when nothing failed, else 207.
    pub(crate) fn status(&self) -> StatusCode {
        if self.failure.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::MULTI_STATUS
        }
    }

    /// The documented body; no `failure` key when nothing failed.
    pub(crate) fn to_json(&self) -> Value {
        let mut out = Map::new();
        out.insert(
            "success".to_owned(),
            json!({
                "count": self.success.len(),
                "entities": self.success.iter().map(|r| json!({ "reference": r })).collect::<Vec<_>>(),
            }),
        );
        if !self.failure.is_empty() {
            out.insert(
                "failure".to_owned(),
                json!({
                    "count": self.failure.len(),
                    "entities": self
                        .failure
                        .iter()
                        .map(|(r, reason)| json!({ "reason": reason, "reference": r }))
                        .collect::<Vec<_>>(),
                }),
            );
        }
        Value::Object(out)
    }
}
