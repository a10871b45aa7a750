//! Audiences and structures, their members and managers, and the hierarchy
//! rules of behaviour.md §10–11.
//!
//! Choices for undocumented behaviour:
//! - `name` is required on create (400); `reference` is optional but unique
//!   (409); `category` defaults from `parentId` (with one: `audience`,
//!   without: `structure`). A structure with a parent, an audience without
//!   one, a parent that is itself a child audience, and a parent that is not
//!   API-controlled are 422. An unknown `parentId` is 404, like any unknown
//!   id or reference.
//! - Membership rolls up: adding a user to a child audience also adds them to
//!   its structure. Removing from a child does not remove from the structure.
//! - Moving an audience (PATCH with a new `parentId`) adds its members to the
//!   new structure and removes them from the old one. A member who also
//!   belongs to another child audience of the old structure cannot be
//!   removed from it: that is a failure (`User is a member of another
//!   audience in the previous parent.`) and the answer is 207. Success
//!   entities are the moved members' refs. Moving a structure, moving under
//!   a child audience or under itself, and clearing the parent are 422.
//! - Adding a user who is already a member (or manager) counts as a success.
//!   The only failure reason for add/replace is `User does not exist.`
//!   (unknown, or deleted). When every item fails the answer is 207 with
//!   `success.count` 0, and replace then leaves the list unchanged.
//! - Removing a user who is not a member (or manager) is 404.
//! - Manager inputs: `reference` (email, ref or id) is required unless
//!   `userId` or `email` is given; missing permission sets and booleans are
//!   false; `manageMembers` and `canManageAudiences` are accepted although
//!   the input schema omits them; `administrator` is ignored on child
//!   audiences. Adding an existing manager replaces their permissions.
//! - Deleting an audience drops its members, managers and CPD requirements
//!   and soft-deletes its assignments (their unfinished enrolments become
//!   `archived`).

use std::collections::HashSet;

use axum::http::StatusCode;
use serde_json::{Map, Value, json};

use super::db::Db;
use crate::config::DeleteStructureMode;
use crate::error::ApiError;
use crate::fields::{Field, field_string};
use crate::model::audiences::{Audience, BatchResult, Category, Manager, Permissions};
use crate::time::{Millis, format_millis};

/// The documented failure reason for unknown users.
pub(crate) const USER_DOES_NOT_EXIST: &str = "User does not exist.";
const STILL_IN_OLD_PARENT: &str = "User is a member of another audience in the previous parent.";
const REFUSED_MOVE: &str = "cannot move audience to this parent";

fn check_len(key: &str, value: &str) -> Result<(), ApiError> {
    if value.trim().is_empty() {
        Err(ApiError::bad_request(format!("{key} must not be empty")))
    } else if value.chars().count() > 100 {
        Err(ApiError::bad_request(format!(
            "{key} must be at most 100 characters"
        )))
    } else {
        Ok(())
    }
}

/// A parsed manager input item.
struct ManagerInput {
    echo: String,
    candidates: Vec<String>,
    permissions: Permissions,
}

impl Db {
    /// An audience by id, then by reference.
    pub(crate) fn find_audience(&self, ident: &str) -> Option<usize> {
        self.audiences
            .iter()
            .position(|a| a.id == ident)
            .or_else(|| {
                self.audiences
                    .iter()
                    .position(|a| a.reference.as_deref() == Some(ident))
            })
    }

    /// An audience by id or reference, or 404.
    pub(crate) fn audience_or_404(&self, ident: &str) -> Result<usize, ApiError> {
        self.find_audience(ident)
            .ok_or_else(|| ApiError::not_found("Audience not found"))
    }

    fn writable_audience(&self, ident: &str) -> Result<usize, ApiError> {
        let idx = self.audience_or_404(ident)?;
        if self.policy.protect_ui_audiences && !self.audiences[idx].api_controlled {
            return Err(ApiError::unprocessable(
                "This audience is not API-controlled and can only be changed in Thrive",
            ));
        }
        Ok(idx)
    }

    /// The Audience object.
    pub(crate) fn audience_json(&self, a: &Audience) -> Value {
        let parent = a
            .parent_id
            .as_deref()
            .and_then(|pid| self.audiences.iter().find(|p| p.id == pid))
            .map_or(
                Value::Null,
                |p| json!({ "name": p.name, "reference": p.reference, "id": p.id }),
            );
        json!({
            "id": a.id,
            "name": a.name,
            "reference": a.reference,
            "apiControlled": a.api_controlled,
            "category": a.category.as_str(),
            "type": a.kind,
            "parent": parent,
            "createdAt": format_millis(a.created_at),
            "updatedAt": format_millis(a.updated_at),
        })
    }

    fn reference_taken(&self, reference: &str, except: Option<usize>) -> bool {
        self.audiences
            .iter()
            .enumerate()
            .any(|(i, a)| Some(i) != except && a.reference.as_deref() == Some(reference))
    }

    /// `POST /rest/v1/audiences`: 201 with the Audience.
    pub(crate) fn create_audience(
        &mut self,
        map: &Map<String, Value>,
        now: Millis,
    ) -> Result<Value, ApiError> {
        let name = match field_string(map, "name")? {
            Field::Set(s) => s,
            _ => return Err(ApiError::bad_request("name is required")),
        };
        check_len("name", &name)?;
        let reference = field_string(map, "reference")?.set();
        if let Some(r) = &reference {
            check_len("reference", r)?;
        }
        let category = match field_string(map, "category")?.set() {
            None => None,
            Some(c) if c == "structure" => Some(Category::Structure),
            Some(c) if c == "audience" => Some(Category::Audience),
            Some(_) => {
                return Err(ApiError::bad_request(
                    "category must be one of: structure, audience",
                ));
            }
        };
        let parent_ident = field_string(map, "parentId")?
            .set()
            .filter(|p| !p.trim().is_empty());
        let parent_idx = match &parent_ident {
            Some(p) => Some(
                self.find_audience(p)
                    .ok_or_else(|| ApiError::not_found("Parent audience not found"))?,
            ),
            None => None,
        };
        let category = category.unwrap_or(if parent_idx.is_some() {
            Category::Audience
        } else {
            Category::Structure
        });
        match (category, parent_idx) {
            (Category::Structure, Some(_)) => {
                return Err(ApiError::unprocessable_field(
                    "parentId",
                    "a structure is created without a parentId",
                ));
            }
            (Category::Audience, None) => {
                return Err(ApiError::unprocessable_field(
                    "parentId",
                    "a child audience requires the id or reference of a parent structure",
                ));
            }
            (Category::Audience, Some(p)) => {
                let parent = &self.audiences[p];
                if parent.category != Category::Structure {
                    return Err(ApiError::unprocessable_field(
                        "parentId",
                        "the parent must be a structure, not a child audience",
                    ));
                }
                if !parent.api_controlled {
                    return Err(ApiError::unprocessable_field(
                        "parentId",
                        "API-created audiences can only exist within API-created structures",
                    ));
                }
            }
            (Category::Structure, None) => {}
        }
        if let Some(r) = &reference
            && self.reference_taken(r, None)
        {
            return Err(ApiError::conflict(format!(
                "An audience with reference '{r}' already exists"
            )));
        }
        let id = self.ids.next_id();
        let parent_id = parent_idx.map(|p| self.audiences[p].id.clone());
        let audience = Audience::new(id, name, reference, category, parent_id, true, now);
        let body = self.audience_json(&audience);
        self.audiences.push(audience);
        Ok(body)
    }

    /// `PATCH /rest/v1/audiences/{audienceId}[/]`: the Audience plus
    /// `memberOperations`, with 200 or 207.
    pub(crate) fn update_audience(
        &mut self,
        ident: &str,
        map: &Map<String, Value>,
        now: Millis,
    ) -> Result<(StatusCode, Value), ApiError> {
        let idx = self.writable_audience(ident)?;
        let name = match field_string(map, "name")? {
            Field::Set(s) => {
                check_len("name", &s)?;
                Some(s)
            }
            Field::Null => return Err(ApiError::bad_request("name cannot be cleared")),
            Field::Absent => None,
        };
        let reference = match field_string(map, "reference")? {
            Field::Set(s) => {
                check_len("reference", &s)?;
                Some(s)
            }
            Field::Null => return Err(ApiError::bad_request("reference cannot be cleared")),
            Field::Absent => None,
        };
        let new_parent = match field_string(map, "parentId")? {
            Field::Set(p) if !p.trim().is_empty() => Some(p),
            Field::Null if self.audiences[idx].category == Category::Audience => {
                return Err(ApiError::unprocessable_field(
                    "parentId",
                    "a child audience cannot be detached from its parent",
                ));
            }
            _ => None,
        };
        let mut move_to: Option<usize> = None;
        if let Some(p) = &new_parent {
            let pidx = self
                .find_audience(p)
                .ok_or_else(|| ApiError::not_found("Parent audience not found"))?;
            let me = &self.audiences[idx];
            let parent = &self.audiences[pidx];
            let refused = me.category == Category::Structure
                || pidx == idx
                || parent.category != Category::Structure
                || (me.api_controlled && !parent.api_controlled);
            if refused {
                return Err(ApiError::unprocessable_field("parentId", REFUSED_MOVE));
            }
            if me.parent_id.as_deref() != Some(parent.id.as_str()) {
                move_to = Some(pidx);
            }
        }
        if let Some(r) = &reference
            && self.reference_taken(r, Some(idx))
        {
            return Err(ApiError::conflict(format!(
                "An audience with reference '{r}' already exists"
            )));
        }

        let mut operations: Option<BatchResult> = None;
        if let Some(pidx) = move_to {
            operations = Some(self.move_audience(idx, pidx, now));
        }
        let audience = &mut self.audiences[idx];
        if let Some(n) = name {
            audience.name = n;
        }
        if let Some(r) = reference {
            audience.reference = Some(r);
        }
        audience.updated_at = now;
        let mut body = self.audience_json(&self.audiences[idx]);
        let status = operations
            .as_ref()
            .map_or(StatusCode::OK, BatchResult::status);
        if let Value::Object(map) = &mut body {
            map.insert(
                "memberOperations".to_owned(),
                operations.map_or(Value::Null, |o| o.to_json()),
            );
        }
        Ok((status, body))
    }

    fn user_label(&self, user_id: &str) -> String {
        self.users
            .by_id_any(user_id)
            .and_then(|i| self.users.list[i].reference.clone())
            .unwrap_or_else(|| user_id.to_owned())
    }

    fn move_audience(&mut self, idx: usize, new_parent: usize, now: Millis) -> BatchResult {
        let old_parent = self.audiences[idx]
            .parent_id
            .as_deref()
            .and_then(|pid| self.audiences.iter().position(|a| a.id == pid));
        let members = self.audiences[idx].members.clone();
        let my_id = self.audiences[idx].id.clone();
        let mut result = BatchResult::default();
        for user_id in &members {
            let label = self.user_label(user_id);
            self.add_member_internal(new_parent, user_id, now);
            let Some(old) = old_parent else {
                result.success.push(label);
                continue;
            };
            let old_id = self.audiences[old].id.clone();
            let in_sibling = self.audiences.iter().any(|a| {
                a.id != my_id
                    && a.parent_id.as_deref() == Some(old_id.as_str())
                    && a.has_member(user_id)
            });
            if in_sibling {
                result.failure.push((label, STILL_IN_OLD_PARENT.to_owned()));
            } else {
                self.remove_member_internal(old, user_id, now);
                result.success.push(label);
            }
        }
        self.audiences[idx].parent_id = Some(self.audiences[new_parent].id.clone());
        result
    }

    /// `DELETE /rest/v1/audiences/{audienceId}`.
    pub(crate) fn delete_audience(
        &mut self,
        ident: &str,
        mode: DeleteStructureMode,
        now: Millis,
    ) -> Result<(), ApiError> {
        let idx = self.writable_audience(ident)?;
        let id = self.audiences[idx].id.clone();
        let children: Vec<String> = self
            .audiences
            .iter()
            .filter(|a| a.parent_id.as_deref() == Some(id.as_str()))
            .map(|a| a.id.clone())
            .collect();
        if !children.is_empty() && mode == DeleteStructureMode::RefuseWithChildren {
            return Err(ApiError::conflict(format!(
                "The structure has {} child audience(s); delete them first",
                children.len()
            )));
        }
        let mut doomed = children;
        doomed.push(id);
        for audience_id in &doomed {
            self.retire_assignments_of(audience_id, now);
            self.cpd_requirements
                .retain(|r| &r.audience_id != audience_id);
        }
        self.audiences.retain(|a| !doomed.contains(&a.id));
        Ok(())
    }

    /// Adds a member with roll-up and enrolments; `true` if newly added here.
    pub(crate) fn add_member_internal(&mut self, idx: usize, user_id: &str, now: Millis) -> bool {
        let added = self.audiences[idx].push_member(user_id);
        if added {
            let audience_id = self.audiences[idx].id.clone();
            self.enrol_user(&audience_id, user_id, now);
        }
        if let Some(pid) = self.audiences[idx].parent_id.clone()
            && let Some(p) = self.audiences.iter().position(|a| a.id == pid)
            && self.audiences[p].push_member(user_id)
        {
            self.enrol_user(&pid, user_id, now);
        }
        added
    }

    /// Removes a member and unassigns their enrolments there.
    pub(crate) fn remove_member_internal(
        &mut self,
        idx: usize,
        user_id: &str,
        now: Millis,
    ) -> bool {
        let removed = self.audiences[idx].remove_member(user_id);
        if removed {
            let audience_id = self.audiences[idx].id.clone();
            self.unassign_user(&audience_id, user_id, now);
        }
        removed
    }

    /// `GET /rest/v1/audiences/{audienceId}/members`: `{userId, reference,
    /// email}` in the order members were added.
    pub(crate) fn list_members(&self, ident: &str) -> Result<Vec<Value>, ApiError> {
        let idx = self.audience_or_404(ident)?;
        Ok(self.audiences[idx]
            .members
            .iter()
            .filter_map(|uid| self.users.by_id(uid).map(|i| &self.users.list[i]))
            .map(|u| json!({ "userId": u.id, "reference": u.reference, "email": u.email }))
            .collect())
    }

    /// `POST` (add) and `PATCH` (replace) `/audiences/{audienceId}/members`.
    pub(crate) fn write_members(
        &mut self,
        ident: &str,
        items: &[Value],
        replace: bool,
        now: Millis,
    ) -> Result<BatchResult, ApiError> {
        let idx = self.writable_audience(ident)?;
        let mut refs = Vec::with_capacity(items.len());
        for item in items {
            match item {
                Value::String(s) => refs.push(s.clone()),
                _ => {
                    return Err(ApiError::bad_request(
                        "Each member must be a string: a user email, ref or id",
                    ));
                }
            }
        }
        let mut result = BatchResult::default();
        let mut resolved: Vec<String> = Vec::new();
        for r in &refs {
            match self.users.resolve(r.trim()) {
                Some(u) => {
                    resolved.push(self.users.list[u].id.clone());
                    result.success.push(r.clone());
                }
                None => result
                    .failure
                    .push((r.clone(), USER_DOES_NOT_EXIST.to_owned())),
            }
        }
        if replace && !resolved.is_empty() {
            let keep: HashSet<&String> = resolved.iter().collect();
            let leaving: Vec<String> = self.audiences[idx]
                .members
                .iter()
                .filter(|m| !keep.contains(m))
                .cloned()
                .collect();
            for user_id in leaving {
                self.remove_member_internal(idx, &user_id, now);
            }
        }
        for user_id in &resolved {
            self.add_member_internal(idx, user_id, now);
        }
        Ok(result)
    }

    /// `DELETE /audiences/{audienceId}/members/{userRef}`.
    pub(crate) fn remove_member(
        &mut self,
        ident: &str,
        user: &str,
        now: Millis,
    ) -> Result<(), ApiError> {
        let idx = self.writable_audience(ident)?;
        let u = self
            .users
            .resolve(user)
            .ok_or_else(|| ApiError::not_found("User not found"))?;
        let user_id = self.users.list[u].id.clone();
        if self.remove_member_internal(idx, &user_id, now) {
            Ok(())
        } else {
            Err(ApiError::not_found("User is not a member of this audience"))
        }
    }

    /// `GET /audiences/{audienceId}/managers`: a bare array.
    pub(crate) fn list_managers(&self, ident: &str) -> Result<Vec<Value>, ApiError> {
        let idx = self.audience_or_404(ident)?;
        Ok(self.managers_json(idx))
    }

    /// The manager objects of an audience.
    pub(crate) fn managers_json(&self, idx: usize) -> Vec<Value> {
        let a = &self.audiences[idx];
        let structure = a.category == Category::Structure;
        a.managers
            .iter()
            .filter_map(|m| {
                let u = &self.users.list[self.users.by_id(&m.user_id)?];
                Some(json!({
                    "userId": u.id,
                    "reference": u.reference,
                    "email": u.email,
                    "permissions": m.permissions.to_json(structure),
                }))
            })
            .collect()
    }

    fn parse_manager_inputs(
        &self,
        items: &[Value],
        structure: bool,
    ) -> Result<Vec<ManagerInput>, ApiError> {
        items
            .iter()
            .map(|item| {
                let Value::Object(obj) = item else {
                    return Err(ApiError::bad_request(
                        "Each manager must be an object {reference, permissions}",
                    ));
                };
                let mut candidates = Vec::new();
                for key in ["reference", "userId", "email"] {
                    match obj.get(key) {
                        None | Some(Value::Null) => {}
                        Some(Value::String(s)) => candidates.push(s.clone()),
                        Some(_) => {
                            return Err(ApiError::bad_request(format!(
                                "manager {key} must be a string"
                            )));
                        }
                    }
                }
                let Some(echo) = candidates.first().cloned() else {
                    return Err(ApiError::bad_request(
                        "Each manager needs a reference (the user's email or ref)",
                    ));
                };
                let permissions = Permissions::parse(obj.get("permissions"), structure)?;
                Ok(ManagerInput {
                    echo,
                    candidates,
                    permissions,
                })
            })
            .collect()
    }

    /// `POST` (add) and `PATCH` (replace) `/audiences/{audienceId}/managers`.
    pub(crate) fn write_managers(
        &mut self,
        ident: &str,
        items: &[Value],
        replace: bool,
    ) -> Result<BatchResult, ApiError> {
        let idx = self.writable_audience(ident)?;
        let structure = self.audiences[idx].category == Category::Structure;
        let inputs = self.parse_manager_inputs(items, structure)?;
        let mut result = BatchResult::default();
        let mut resolved: Vec<Manager> = Vec::new();
        for input in inputs {
            let found = input
                .candidates
                .iter()
                .find_map(|c| self.users.resolve(c.trim()));
            match found {
                Some(u) => {
                    resolved.push(Manager {
                        user_id: self.users.list[u].id.clone(),
                        permissions: input.permissions,
                    });
                    result.success.push(input.echo);
                }
                None => result
                    .failure
                    .push((input.echo, USER_DOES_NOT_EXIST.to_owned())),
            }
        }
        let audience = &mut self.audiences[idx];
        if replace && !resolved.is_empty() {
            let keep: HashSet<&str> = resolved.iter().map(|m| m.user_id.as_str()).collect();
            audience
                .managers
                .retain(|m| keep.contains(m.user_id.as_str()));
        }
        for m in resolved {
            match audience
                .managers
                .iter_mut()
                .find(|x| x.user_id == m.user_id)
            {
                Some(existing) => existing.permissions = m.permissions,
                None => audience.managers.push(m),
            }
        }
        Ok(result)
    }

    /// `DELETE /audiences/{audienceId}/managers/{userId}`.
    pub(crate) fn remove_manager(&mut self, ident: &str, user: &str) -> Result<(), ApiError> {
        let idx = self.writable_audience(ident)?;
        let u = self
            .users
            .resolve(user)
            .ok_or_else(|| ApiError::not_found("User not found"))?;
        let user_id = self.users.list[u].id.clone();
        let audience = &mut self.audiences[idx];
        let before = audience.managers.len();
        audience.managers.retain(|m| m.user_id != user_id);
        if audience.managers.len() == before {
            Err(ApiError::not_found(
                "User is not a manager of this audience",
            ))
        } else {
            Ok(())
        }
    }
}
