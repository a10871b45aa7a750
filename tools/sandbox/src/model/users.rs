//! User records, the user store and its indexes.
//!
//! Plain data: the rules that change them are in `state` (and the choices
//! for undocumented behaviour are written there).

use std::collections::HashMap;

use serde_json::{Value, json};

use crate::time::{Millis, format_millis};

/// The documented user statuses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum UserStatus {
    /// Active account.
    Active,
    /// Suspended.
    Inactive,
    /// Past its end date.
    Expired,
    /// Never logged in.
    New,
}

impl UserStatus {
    /// The wire names, for filter validation.
    pub(crate) const NAMES: [&'static str; 4] = ["active", "inactive", "expired", "new"];

    /// The wire name.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            UserStatus::Active => "active",
            UserStatus::Inactive => "inactive",
            UserStatus::Expired => "expired",
            UserStatus::New => "new",
        }
    }

    /// Parses a wire name.
    pub(crate) fn parse(s: &str) -> Option<Self> {
        match s {
            "active" => Some(UserStatus::Active),
            "inactive" => Some(UserStatus::Inactive),
            "expired" => Some(UserStatus::Expired),
            "new" => Some(UserStatus::New),
            _ => None,
        }
    }
}

/// The documented roles.
pub(crate) const ROLES: [&str; 3] = ["administrator", "learneradmin", "learner"];
/// The documented login methods.
pub(crate) const LOGIN_METHODS: [&str; 2] = ["email", "ref"];

/// A skill held by a user: a tag with optional levels.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct UserSkill {
    /// The tag's id.
    pub tag_id: String,
    /// Current level (≥ −1).
    pub level: Option<f64>,
    /// Target level (≥ −1).
    pub target_level: Option<f64>,
}

/// A stored user.
#[derive(Clone, Debug)]
pub(crate) struct User {
    pub id: String,
    pub reference: Option<String>,
    pub login_method: String,
    pub email: Option<String>,
    pub first_name: String,
    pub last_name: String,
    pub role: String,
    pub job_title: Option<String>,
    pub manager_ref: Option<String>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub time_zone: String,
    pub language_code: Option<String>,
    pub active: bool,
    pub status: UserStatus,
    pub sso: bool,
    pub domain: Option<String>,
    pub additional_fields: Value,
    pub created_at: Millis,
    pub updated_at: Millis,
    pub first_login: Option<Millis>,
    pub last_login: Option<Millis>,
    pub deleted: bool,
    pub position_id: String,
    pub has_picture: bool,
    pub summary: Option<String>,
    pub onboarded: bool,
    pub level: i64,
    /// Tag ids the learner is interested in (add/remove tags).
    pub interests: Vec<String>,
    /// Skills (update skills).
    pub skills: Vec<UserSkill>,
}

impl User {
    /// The v2 user-lifecycle object (create, update, suspend responses).
    pub(crate) fn lifecycle_json(&self) -> Value {
        json!({
            "id": self.id,
            "loginMethod": self.login_method,
            "ref": self.reference,
            "email": self.email,
            "firstName": self.first_name,
            "lastName": self.last_name,
            "role": self.role,
            "jobTitle": self.job_title,
            "managerRef": self.manager_ref,
            "startDate": self.start_date,
            "endDate": self.end_date,
            "timeZone": self.time_zone,
            "languageCode": self.language_code,
            "active": self.active,
            "createdAt": format_millis(self.created_at),
            "updatedAt": format_millis(self.updated_at),
            "sso": self.sso,
            "domain": self.domain,
            "additionalFields": self.additional_fields,
        })
    }
}

/// Users in creation order with id, ref and email indexes. Users are never
/// removed (delete obfuscates), so indexes stay valid.
#[derive(Clone, Debug, Default)]
pub(crate) struct UserStore {
    pub list: Vec<User>,
    by_id: HashMap<String, usize>,
    by_ref: HashMap<String, usize>,
    by_email: HashMap<String, usize>,
}

impl UserStore {
    /// Adds a user (the caller has checked uniqueness).
    pub(crate) fn insert(&mut self, user: User) -> usize {
        let idx = self.list.len();
        self.by_id.insert(user.id.clone(), idx);
        if let Some(r) = &user.reference {
            self.by_ref.insert(r.clone(), idx);
        }
        if let Some(e) = &user.email {
            self.by_email.insert(e.to_lowercase(), idx);
        }
        self.list.push(user);
        idx
    }

    /// A live (not deleted) user by Thrive id.
    pub(crate) fn by_id(&self, id: &str) -> Option<usize> {
        self.by_id
            .get(id)
            .copied()
            .filter(|&i| !self.list[i].deleted)
    }

    /// A user by id, deleted ones included.
    pub(crate) fn by_id_any(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// A live user by ref.
    pub(crate) fn by_ref(&self, reference: &str) -> Option<usize> {
        self.by_ref.get(reference).copied()
    }

    /// A live user by email (case-insensitive).
    pub(crate) fn by_email(&self, email: &str) -> Option<usize> {
        self.by_email.get(&email.to_lowercase()).copied()
    }

    /// A live user by id, ref or email, tried in that order.
    pub(crate) fn resolve(&self, ident: &str) -> Option<usize> {
        self.by_id(ident)
            .or_else(|| self.by_ref(ident))
            .or_else(|| self.by_email(ident))
    }

    /// Changes a user's email, keeping the index right.
    pub(crate) fn set_email(&mut self, idx: usize, email: Option<String>) {
        if let Some(old) = self.list[idx].email.take() {
            self.by_email.remove(&old.to_lowercase());
        }
        if let Some(new) = &email {
            self.by_email.insert(new.to_lowercase(), idx);
        }
        self.list[idx].email = email;
    }

    /// Clears a user's ref, keeping the index right.
    pub(crate) fn clear_ref(&mut self, idx: usize) {
        if let Some(old) = self.list[idx].reference.take() {
            self.by_ref.remove(&old);
        }
    }

    /// Number of live users.
    pub(crate) fn live_count(&self) -> usize {
        self.list.iter().filter(|u| !u.deleted).count()
    }
}
