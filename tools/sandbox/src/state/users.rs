//! Users: the lifecycle operations and the v1 views that need the rest of
//! the tenant (the record, its store and the v2 lifecycle object are in
//! `model::users`).
//!
//! Choices for undocumented behaviour:
//! - A user created through the API has status `new` (never logged in);
//!   suspend sets `inactive` and `active: false`. No call un-suspends.
//!   `expired` only occurs in seed data or through
//!   [`crate::SandboxState::set_user_status`].
//! - Emails are unique per tenant (case-insensitive) like refs: a duplicate
//!   email on create or update is a 409.
//! - Delete obfuscates: ref, email, job title, manager ref, additional fields
//!   and domain are cleared, the names become `Deleted`/`User`, `deleted` is
//!   true, and the user leaves every audience member and manager list.
//!   Enrolments, completions, activities and CPD entries keep the internal id.
//!   Afterwards the user is invisible to every API read (404 by ref or id,
//!   left out of search) and the ref may be used again for a new, unrelated
//!   user.
//! - On update, an empty string clears an optional text field just like
//!   `null` (Sim cannot send `null`); `firstName`, `lastName`, `loginMethod`
//!   and `role` cannot be cleared (400); `ref` in the body is ignored;
//!   `additionalFields` replaces the whole object.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value, json};

use super::db::Db;
use crate::error::ApiError;
use crate::fields::{Field, field_bool, field_iso_string, field_string, required_string};
use crate::model::users::{LOGIN_METHODS, ROLES, User, UserStatus};
use crate::time::{Millis, format_millis, format_opt};

/// Lookups needed to render v1 User objects, built once per response.
pub(crate) struct UserCtx<'a> {
    audiences: HashMap<&'a str, Vec<&'a str>>,
    structure_of: HashMap<&'a str, &'a str>,
    tag_names: HashMap<&'a str, &'a str>,
    compliance: HashMap<&'a str, (u32, u32)>,
}

fn email_ok(email: &str) -> bool {
    let email = email.trim();
    match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty() && !domain.is_empty() && !email.contains(char::is_whitespace)
        }
        None => false,
    }
}

fn check_enum(key: &str, value: &str, allowed: &[&str]) -> Result<(), ApiError> {
    if allowed.contains(&value) {
        Ok(())
    } else {
        Err(ApiError::bad_request(format!(
            "{key} must be one of: {}",
            allowed.join(", ")
        )))
    }
}

/// An optional free-text field: a non-empty string, or `None`.
fn optional_text(map: &Map<String, Value>, key: &str) -> Result<Field<Option<String>>, ApiError> {
    Ok(match field_string(map, key)? {
        Field::Absent => Field::Absent,
        Field::Null => Field::Set(None),
        Field::Set(s) if s.trim().is_empty() => Field::Set(None),
        Field::Set(s) => Field::Set(Some(s)),
    })
}

fn additional_fields(map: &Map<String, Value>) -> Result<Field<Value>, ApiError> {
    match map.get("additionalFields") {
        None => Ok(Field::Absent),
        Some(Value::Null) => Ok(Field::Set(Value::Null)),
        Some(v @ Value::Object(_)) => Ok(Field::Set(v.clone())),
        Some(_) => Err(ApiError::bad_request(
            "additionalFields must be a JSON object",
        )),
    }
}

impl Db {
    /// Builds the lookups for v1 User rendering.
    pub(crate) fn user_ctx(&self) -> UserCtx<'_> {
        let mut audiences: HashMap<&str, Vec<&str>> = HashMap::new();
        let mut structure_of: HashMap<&str, &str> = HashMap::new();
        for a in &self.audiences {
            let structure = a.parent_id.as_deref().unwrap_or(a.id.as_str());
            for m in &a.members {
                audiences.entry(m.as_str()).or_default().push(a.id.as_str());
                if a.api_controlled {
                    structure_of.entry(m.as_str()).or_insert(structure);
                }
            }
        }
        let tag_names = self
            .tags
            .iter()
            .map(|t| (t.id.as_str(), t.name.as_str()))
            .collect();
        let mut compliance: HashMap<&str, (u32, u32)> = HashMap::new();
        for a in self.assignments.iter().filter(|a| !a.is_deleted) {
            for e in &a.enrolments {
                use crate::model::assignments::EnrolmentStatus as S;
                let counted = !matches!(e.status, S::Archived | S::Unassigned);
                if counted {
                    let c = compliance.entry(e.user_id.as_str()).or_default();
                    c.1 += 1;
                    if matches!(e.status, S::Complete | S::Scheduled) {
                        c.0 += 1;
                    }
                }
            }
        }
        UserCtx {
            audiences,
            structure_of,
            tag_names,
            compliance,
        }
    }

    fn manager_id_of(&self, user: &User) -> Option<&str> {
        let r = user.manager_ref.as_deref()?;
        self.users.by_ref(r).map(|i| self.users.list[i].id.as_str())
    }

    fn positions_json(&self, user: &User, ctx: &UserCtx<'_>) -> Value {
        let manager = self
            .manager_id_of(user)
            .map_or(Value::Null, |id| json!({ "id": id }));
        json!([{
            "id": user.position_id,
            "manager": manager,
            "ouId": ctx.structure_of.get(user.id.as_str()),
            "isActive": user.active,
            "startDate": user.start_date,
            "endDate": user.end_date,
            "createdAt": format_millis(user.created_at),
            "updatedAt": format_millis(user.updated_at),
        }])
    }

    /// The v1 BasicUser object (get by ref).
    pub(crate) fn user_basic_json(&self, user: &User, ctx: &UserCtx<'_>) -> Value {
        json!({
            "id": user.id,
            "ref": user.reference,
            "firstName": user.first_name,
            "lastName": user.last_name,
            "email": user.email,
            "role": user.role,
            "status": user.status.as_str(),
            "positions": if user.deleted { json!([]) } else { self.positions_json(user, ctx) },
            "additionalFields": user.additional_fields,
            "languageCode": user.language_code,
        })
    }

    /// The v1 User object (search and get by id). `compliance` is the share
    /// (0–100) of the user's current enrolments that are complete.
    pub(crate) fn user_v1_json(&self, user: &User, ctx: &UserCtx<'_>) -> Value {
        let mut v = self.user_basic_json(user, ctx);
        let compliance = ctx
            .compliance
            .get(user.id.as_str())
            .map_or(0, |&(done, total)| {
                (done * 100).checked_div(total).unwrap_or(0)
            });
        let names = |ids: &mut dyn Iterator<Item = &String>| -> Vec<String> {
            ids.filter_map(|id| ctx.tag_names.get(id.as_str()).map(|n| (*n).to_owned()))
                .collect()
        };
        let skills = names(&mut user.skills.iter().map(|s| &s.tag_id));
        let interests = names(&mut user.interests.iter());
        let audiences: Vec<&str> = ctx
            .audiences
            .get(user.id.as_str())
            .cloned()
            .unwrap_or_default();
        if let Value::Object(map) = &mut v {
            let extra = json!({
                "deleted": user.deleted,
                "compliance": compliance,
                "level": user.level,
                "firstLogin": format_opt(user.first_login),
                "lastLogin": format_opt(user.last_login),
                "tags": { "skills": skills, "interests": interests },
                "usersFollowing": [],
                "tagsFollowing": interests,
                "createdAt": format_millis(user.created_at),
                "updatedAt": format_millis(user.updated_at),
                "hasPicture": user.has_picture,
                "timeZone": user.time_zone,
                "summary": user.summary,
                "relevancy": 0,
                "rank": { "currentCategory": 0, "currentLevel": user.level },
                "agreedTerms": user.first_login.is_some(),
                "onboarded": user.onboarded,
                "audiences": audiences,
                "singleSignOn": user.sso,
            });
            if let Value::Object(extra) = extra {
                map.extend(extra);
            }
        }
        v
    }

    /// A new user record with defaults; the caller fills in the rest.
    pub(crate) fn blank_user(&mut self, now: Millis) -> User {
        let id = self.ids.next_id();
        let position_id = self.ids.next_id();
        User {
            id,
            reference: None,
            login_method: "email".to_owned(),
            email: None,
            first_name: String::new(),
            last_name: String::new(),
            role: "learner".to_owned(),
            job_title: None,
            manager_ref: None,
            start_date: None,
            end_date: None,
            time_zone: self.policy.default_time_zone.clone(),
            language_code: Some("en-gb".to_owned()),
            active: true,
            status: UserStatus::New,
            sso: false,
            domain: None,
            additional_fields: Value::Null,
            created_at: now,
            updated_at: now,
            first_login: None,
            last_login: None,
            deleted: false,
            position_id,
            has_picture: false,
            summary: None,
            onboarded: false,
            level: 0,
            interests: Vec::new(),
            skills: Vec::new(),
        }
    }

    /// `POST /rest/v2/users`: 201 with the lifecycle object.
    pub(crate) fn create_user(
        &mut self,
        map: &Map<String, Value>,
        now: Millis,
    ) -> Result<Value, ApiError> {
        let reference = required_string(map, "ref")?;
        let first_name = required_string(map, "firstName")?;
        let last_name = required_string(map, "lastName")?;
        let login_method = match field_string(map, "loginMethod")? {
            Field::Set(s) if !s.is_empty() => {
                check_enum("loginMethod", &s, &LOGIN_METHODS)?;
                s
            }
            _ => "email".to_owned(),
        };
        let email = match optional_text(map, "email")? {
            Field::Set(Some(e)) => {
                if !email_ok(&e) {
                    return Err(ApiError::bad_request("email must be a valid email address"));
                }
                Some(e.trim().to_owned())
            }
            _ => None,
        };
        if login_method == "email" && email.is_none() {
            return Err(ApiError::bad_request(
                "email is required unless loginMethod is 'ref'",
            ));
        }
        let role = match field_string(map, "role")? {
            Field::Set(s) if !s.is_empty() => {
                check_enum("role", &s, &ROLES)?;
                s
            }
            _ => "learner".to_owned(),
        };
        let job_title = optional_text(map, "jobTitle")?.set().flatten();
        let manager_ref = optional_text(map, "managerRef")?.set().flatten();
        let domain = optional_text(map, "domain")?.set().flatten();
        let time_zone = optional_text(map, "timeZone")?.set().flatten();
        let language_code = optional_text(map, "languageCode")?.set().flatten();
        let start_date = field_iso_string(map, "startDate")?.set();
        let end_date = field_iso_string(map, "endDate")?.set();
        let sso = field_bool(map, "sso")?.set().unwrap_or(false);
        let additional = additional_fields(map)?.set().unwrap_or(Value::Null);

        if self.users.by_ref(&reference).is_some() {
            return Err(ApiError::conflict(format!(
                "A user with ref '{reference}' already exists"
            )));
        }
        if let Some(e) = &email
            && self.users.by_email(e).is_some()
        {
            return Err(ApiError::conflict(format!(
                "A user with email '{e}' already exists"
            )));
        }
        let mut user = self.blank_user(now);
        user.reference = Some(reference);
        user.first_name = first_name;
        user.last_name = last_name;
        user.login_method = login_method;
        user.email = email;
        user.role = role;
        user.job_title = job_title;
        user.manager_ref = manager_ref;
        user.domain = domain;
        if let Some(tz) = time_zone {
            user.time_zone = tz;
        }
        if language_code.is_some() {
            user.language_code = language_code;
        }
        user.start_date = start_date;
        user.end_date = end_date;
        user.sso = sso;
        user.additional_fields = additional;
        let body = user.lifecycle_json();
        self.users.insert(user);
        Ok(body)
    }

    fn live_user_by_ref(&self, reference: &str) -> Result<usize, ApiError> {
        self.users
            .by_ref(reference)
            .ok_or_else(|| ApiError::not_found("User not found"))
    }

    /// `PATCH /rest/v2/users/ref/{ref}`: 200 with the lifecycle object.
    pub(crate) fn update_user(
        &mut self,
        reference: &str,
        map: &Map<String, Value>,
        now: Millis,
    ) -> Result<Value, ApiError> {
        let idx = self.live_user_by_ref(reference)?;
        // Validate everything before changing anything.
        let names = ["firstName", "lastName"].map(|key| match field_string(map, key) {
            Ok(Field::Set(s)) if !s.trim().is_empty() => Ok(Some(s)),
            Ok(Field::Absent) => Ok(None),
            Ok(_) => Err(ApiError::bad_request(format!("{key} must not be empty"))),
            Err(e) => Err(e),
        });
        let [first_name, last_name] = names;
        let (first_name, last_name) = (first_name?, last_name?);
        let login_method = match field_string(map, "loginMethod")? {
            Field::Set(s) => {
                check_enum("loginMethod", &s, &LOGIN_METHODS)?;
                Some(s)
            }
            Field::Null => return Err(ApiError::bad_request("loginMethod cannot be cleared")),
            Field::Absent => None,
        };
        let role = match field_string(map, "role")? {
            Field::Set(s) => {
                check_enum("role", &s, &ROLES)?;
                Some(s)
            }
            Field::Null => return Err(ApiError::bad_request("role cannot be cleared")),
            Field::Absent => None,
        };
        let email = match optional_text(map, "email")? {
            Field::Set(Some(e)) => {
                if !email_ok(&e) {
                    return Err(ApiError::bad_request("email must be a valid email address"));
                }
                Field::Set(Some(e.trim().to_owned()))
            }
            other => other,
        };
        let job_title = optional_text(map, "jobTitle")?;
        let manager_ref = optional_text(map, "managerRef")?;
        let domain = optional_text(map, "domain")?;
        let time_zone = optional_text(map, "timeZone")?;
        let language_code = optional_text(map, "languageCode")?;
        let start_date = field_iso_string(map, "startDate")?;
        let end_date = field_iso_string(map, "endDate")?;
        let sso = field_bool(map, "sso")?;
        let additional = additional_fields(map)?;

        let current = &self.users.list[idx];
        let final_method = login_method.as_deref().unwrap_or(&current.login_method);
        let final_email = match &email {
            Field::Set(e) => e.as_deref(),
            _ => current.email.as_deref(),
        };
        if final_method == "email" && final_email.is_none() {
            return Err(ApiError::bad_request(
                "email is required unless loginMethod is 'ref'",
            ));
        }
        if let Field::Set(Some(e)) = &email
            && let Some(other) = self.users.by_email(e)
            && other != idx
        {
            return Err(ApiError::conflict(format!(
                "A user with email '{e}' already exists"
            )));
        }

        if let Field::Set(e) = email {
            self.users.set_email(idx, e);
        }
        let default_tz = self.policy.default_time_zone.clone();
        let user = &mut self.users.list[idx];
        if let Some(v) = first_name {
            user.first_name = v;
        }
        if let Some(v) = last_name {
            user.last_name = v;
        }
        if let Some(v) = login_method {
            user.login_method = v;
        }
        if let Some(v) = role {
            user.role = v;
        }
        if let Field::Set(v) = job_title {
            user.job_title = v;
        }
        if let Field::Set(v) = manager_ref {
            user.manager_ref = v;
        }
        if let Field::Set(v) = domain {
            user.domain = v;
        }
        if let Field::Set(v) = time_zone {
            user.time_zone = v.unwrap_or(default_tz);
        }
        if let Field::Set(v) = language_code {
            user.language_code = v;
        }
        match start_date {
            Field::Set(v) => user.start_date = Some(v),
            Field::Null => user.start_date = None,
            Field::Absent => {}
        }
        match end_date {
            Field::Set(v) => user.end_date = Some(v),
            Field::Null => user.end_date = None,
            Field::Absent => {}
        }
        match sso {
            Field::Set(v) => user.sso = v,
            Field::Null => user.sso = false,
            Field::Absent => {}
        }
        if let Field::Set(v) = additional {
            user.additional_fields = v;
        }
        user.updated_at = now;
        Ok(user.lifecycle_json())
    }

    /// `PATCH /rest/v2/users/ref/{ref}/suspend`: 200 with the lifecycle
    /// object, `active: false`. Suspending a suspended user is a no-op 200.
    pub(crate) fn suspend_user(
        &mut self,
        reference: &str,
        map: &Map<String, Value>,
        now: Millis,
    ) -> Result<Value, ApiError> {
        let idx = self.live_user_by_ref(reference)?;
        let end_date = field_iso_string(map, "endDate")?;
        let user = &mut self.users.list[idx];
        user.active = false;
        user.status = UserStatus::Inactive;
        if let Field::Set(end) = end_date {
            user.end_date = Some(end);
        }
        user.updated_at = now;
        Ok(user.lifecycle_json())
    }

    /// `DELETE /rest/v2/users/ref/{ref}`: obfuscates the user (see the
    /// module docs).
    pub(crate) fn delete_user(&mut self, reference: &str, now: Millis) -> Result<(), ApiError> {
        let idx = self.live_user_by_ref(reference)?;
        self.users.clear_ref(idx);
        self.users.set_email(idx, None);
        let user_id = {
            let user = &mut self.users.list[idx];
            user.first_name = "Deleted".to_owned();
            user.last_name = "User".to_owned();
            user.job_title = None;
            user.manager_ref = None;
            user.domain = None;
            user.additional_fields = Value::Null;
            user.summary = None;
            user.has_picture = false;
            user.active = false;
            user.status = UserStatus::Inactive;
            user.deleted = true;
            user.updated_at = now;
            user.id.clone()
        };
        for a in &mut self.audiences {
            a.remove_member(&user_id);
            a.managers.retain(|m| m.user_id != user_id);
        }
        Ok(())
    }

    /// `GET /rest/v1/users`: live users matching the filters, in creation
    /// order.
    pub(crate) fn search_users(
        &self,
        updated_since: Option<Millis>,
        include: Option<&HashSet<UserStatus>>,
        exclude: &HashSet<UserStatus>,
    ) -> Vec<&User> {
        self.users
            .list
            .iter()
            .filter(|u| !u.deleted)
            .filter(|u| updated_since.is_none_or(|s| u.updated_at >= s))
            .filter(|u| include.is_none_or(|set| set.contains(&u.status)))
            .filter(|u| !exclude.contains(&u.status))
            .collect()
    }

    /// Adds `n` active users with refs `bulk-0000`, `bulk-0001`, … (numbering
    /// continues across calls) and returns their ids.
    pub(crate) fn insert_bulk_users(&mut self, n: usize, now: Millis) -> Vec<String> {
        let mut ids = Vec::with_capacity(n);
        for _ in 0..n {
            let number = self.bulk_counter;
            self.bulk_counter += 1;
            let reference = format!("bulk-{number:04}");
            if self.users.by_ref(&reference).is_some() {
                continue;
            }
            let mut user = self.blank_user(now);
            user.reference = Some(reference.clone());
            user.first_name = "Bulk".to_owned();
            user.last_name = format!("User {number:04}");
            user.email = Some(format!("{reference}@bulk.sandbox.example"));
            user.status = UserStatus::Active;
            user.first_login = Some(now);
            user.last_login = Some(now);
            ids.push(user.id.clone());
            self.users.insert(user);
        }
        ids
    }
}
