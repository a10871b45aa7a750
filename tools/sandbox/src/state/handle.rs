//! [`SandboxState`], the handle handlers and tests share: the tenant's
//! records, the token table, the fault plan, the counters and the webhook
//! outbox, each behind its own lock.
//!
//! All data lives in one [`Db`] behind a mutex; handlers lock it briefly and
//! never across an `.await`.
//!
//! The read accessors return `serde_json::Value`s in the same shape the API
//! returns (v1 User objects, Audience objects, and so on), so tests can
//! compare them with HTTP bodies directly, plus plain `String` ids where
//! only identity matters (e.g. [`SandboxState::members`]). Unlike the API,
//! the accessors also show deleted users and soft-deleted assignments, so
//! tests can check what a delete left behind.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use serde_json::{Value, json};

use super::db::Db;
use crate::config::{DemoCredentials, Faults, SandboxConfig};
use crate::fault_plan::{FaultState, OneShotFault};
use crate::model::assignments::Assignment;
use crate::model::completions::Completion;
use crate::model::content::{Activity, Content, ContentHistory};
use crate::model::cpd::{CpdCategory, CpdRequirement};
use crate::model::tags::{SkillLevel, Tag};
use crate::model::users::UserStatus;
use crate::outbox::Webhooks;
use crate::stats::Stats;
use crate::time::now_millis;
use crate::tokens::{Scopes, TokenStore};

/// Shared server state.
#[derive(Debug)]
pub(crate) struct Shared {
    pub config: SandboxConfig,
    pub db: Mutex<Db>,
    pub tokens: Mutex<TokenStore>,
    pub faults: Mutex<FaultState>,
    pub stats: Mutex<Stats>,
    pub webhooks: Webhooks,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A cheap, cloneable handle on a running sandbox's state, for tests to
/// inspect and change it. Obtain it with [`crate::Sandbox::state`].
#[derive(Clone, Debug)]
pub struct SandboxState {
    pub(crate) shared: Arc<Shared>,
}

impl SandboxState {
    /// The state for `config` around the tenant `db` (see
    /// `seed::tenant` for the demo tenant).
    pub(crate) fn new(config: SandboxConfig, db: Db) -> Self {
        let shared = Shared {
            tokens: Mutex::new(TokenStore::new(config.seed)),
            faults: Mutex::new(FaultState::new(config.faults, config.seed)),
            stats: Mutex::new(Stats::default()),
            webhooks: Webhooks::default(),
            db: Mutex::new(db),
            config,
        };
        SandboxState {
            shared: Arc::new(shared),
        }
    }

    pub(crate) fn db(&self) -> MutexGuard<'_, Db> {
        lock(&self.shared.db)
    }

    pub(crate) fn tokens(&self) -> MutexGuard<'_, TokenStore> {
        lock(&self.shared.tokens)
    }

    pub(crate) fn faults_mut(&self) -> MutexGuard<'_, FaultState> {
        lock(&self.shared.faults)
    }

    pub(crate) fn stats_mut(&self) -> MutexGuard<'_, Stats> {
        lock(&self.shared.stats)
    }

    /// The webhook outbox.
    pub(crate) fn webhooks(&self) -> &Webhooks {
        &self.shared.webhooks
    }

    pub(crate) fn count_route(&self, method: &str, template: &str) {
        *self
            .stats_mut()
            .by_route
            .entry((method.to_owned(), template.to_owned()))
            .or_default() += 1;
    }

    /// The configuration the sandbox started with.
    pub fn config(&self) -> &SandboxConfig {
        &self.shared.config
    }

    /// The tenant's credentials (Basic and OAuth).
    pub fn demo_credentials(&self) -> DemoCredentials {
        self.shared.config.demo_credentials()
    }

    // ----- users -----

    /// Every user as a v1 User object, in creation order, deleted
    /// (obfuscated, `deleted: true`) users included.
    pub fn users(&self) -> Vec<Value> {
        let db = self.db();
        let ctx = db.user_ctx();
        db.users
            .list
            .iter()
            .map(|u| db.user_v1_json(u, &ctx))
            .collect()
    }

    /// The number of live (not deleted) users.
    pub fn user_count(&self) -> usize {
        self.db().users.live_count()
    }

    /// One user by Thrive id as a v1 User object (deleted users included).
    pub fn user(&self, id: &str) -> Option<Value> {
        let db = self.db();
        let idx = db.users.by_id_any(id)?;
        let ctx = db.user_ctx();
        Some(db.user_v1_json(&db.users.list[idx], &ctx))
    }

    /// One live user by ref as a v1 User object (`None` after delete).
    pub fn user_by_ref(&self, reference: &str) -> Option<Value> {
        let db = self.db();
        let idx = db.users.by_ref(reference)?;
        let ctx = db.user_ctx();
        Some(db.user_v1_json(&db.users.list[idx], &ctx))
    }

    /// One live user by ref as the v2 user-lifecycle object (the shape of the
    /// create/update/suspend responses: `active`, `jobTitle`, `managerRef`…).
    pub fn user_lifecycle(&self, reference: &str) -> Option<Value> {
        let db = self.db();
        let idx = db.users.by_ref(reference)?;
        Some(db.users.list[idx].lifecycle_json())
    }

    /// The names of the tags a user has been given (add/remove tags).
    pub fn user_tags(&self, user_id: &str) -> Vec<String> {
        let db = self.db();
        let Some(idx) = db.users.by_id_any(user_id) else {
            return Vec::new();
        };
        db.users.list[idx]
            .interests
            .iter()
            .filter_map(|t| db.tags.iter().find(|x| &x.id == t).map(|x| x.name.clone()))
            .collect()
    }

    /// A user's skills as `{tagName, level, targetLevel}` objects.
    pub fn user_skills(&self, user_id: &str) -> Vec<Value> {
        let db = self.db();
        let Some(idx) = db.users.by_id_any(user_id) else {
            return Vec::new();
        };
        db.users.list[idx]
            .skills
            .iter()
            .filter_map(|s| {
                let tag = db.tags.iter().find(|t| t.id == s.tag_id)?;
                Some(json!({
                    "tagName": tag.name,
                    "level": s.level,
                    "targetLevel": s.target_level,
                }))
            })
            .collect()
    }

    /// Adds `n` active users quickly, with refs `bulk-0000`, `bulk-0001`, …
    /// (numbering continues across calls), emails
    /// `bulk-NNNN@bulk.sandbox.example`, and returns their ids.
    pub fn insert_users(&self, n: usize) -> Vec<String> {
        self.db().insert_bulk_users(n, now_millis())
    }

    /// Sets a live user's status (`active`, `inactive`, `expired` or `new`),
    /// found by id, ref or email. `inactive` also sets `active: false`; the
    /// others set `active: true`. Returns `false` if the user or status is
    /// unknown.
    pub fn set_user_status(&self, user: &str, status: &str) -> bool {
        let Some(status) = UserStatus::parse(status) else {
            return false;
        };
        let mut db = self.db();
        let Some(idx) = db.users.resolve(user) else {
            return false;
        };
        let u = &mut db.users.list[idx];
        u.status = status;
        u.active = status != UserStatus::Inactive;
        u.updated_at = now_millis();
        true
    }

    // ----- audiences -----

    /// Every audience and structure as an Audience object, in creation order.
    pub fn audiences(&self) -> Vec<Value> {
        let db = self.db();
        db.audiences.iter().map(|a| db.audience_json(a)).collect()
    }

    /// One audience by id or reference.
    pub fn audience(&self, id_or_ref: &str) -> Option<Value> {
        let db = self.db();
        let idx = db.find_audience(id_or_ref)?;
        Some(db.audience_json(&db.audiences[idx]))
    }

    /// The member user ids of an audience (by id or reference), in the order
    /// they were added; empty if the audience is unknown.
    pub fn members(&self, audience: &str) -> Vec<String> {
        let db = self.db();
        db.find_audience(audience)
            .map(|i| db.audiences[i].members.clone())
            .unwrap_or_default()
    }

    /// The managers of an audience (by id or reference) as list-managers
    /// objects `{userId, reference, email, permissions}`.
    pub fn managers(&self, audience: &str) -> Vec<Value> {
        let db = self.db();
        db.find_audience(audience)
            .map(|i| db.managers_json(i))
            .unwrap_or_default()
    }

    // ----- assignments, enrolments, completions -----

    /// Every assignment as an Assignment object, soft-deleted ones included.
    pub fn assignments(&self) -> Vec<Value> {
        self.db()
            .assignments
            .iter()
            .map(Assignment::to_json)
            .collect()
    }

    /// One assignment by id (soft-deleted included).
    pub fn assignment(&self, id: &str) -> Option<Value> {
        self.db()
            .assignments
            .iter()
            .find(|a| a.id == id)
            .map(Assignment::to_json)
    }

    /// The enrolments of an assignment as Enrolment objects with history.
    pub fn enrolments(&self, assignment_id: &str) -> Vec<Value> {
        let db = self.db();
        db.assignments
            .iter()
            .find(|a| a.id == assignment_id)
            .map(|a| a.enrolments.iter().map(|e| a.enrolment_json(e)).collect())
            .unwrap_or_default()
    }

    /// Every completion record.
    pub fn completions(&self) -> Vec<Value> {
        self.db()
            .completions
            .iter()
            .map(Completion::to_json)
            .collect()
    }

    // ----- content, activity, CPD, tags -----

    /// Every content record.
    pub fn contents(&self) -> Vec<Value> {
        self.db().contents.iter().map(Content::to_json).collect()
    }

    /// Every activity record.
    pub fn activities(&self) -> Vec<Value> {
        self.db().activities.iter().map(Activity::to_json).collect()
    }

    /// Every CPD category.
    pub fn cpd_categories(&self) -> Vec<Value> {
        self.db()
            .cpd_categories
            .iter()
            .map(CpdCategory::to_json)
            .collect()
    }

    /// Every CPD log entry.
    pub fn cpd_entries(&self) -> Vec<Value> {
        let db = self.db();
        db.cpd_entries
            .iter()
            .map(|e| db.cpd_entry_json(e))
            .collect()
    }

    /// Every CPD requirement summary.
    pub fn cpd_requirements(&self) -> Vec<Value> {
        self.db()
            .cpd_requirements
            .iter()
            .map(CpdRequirement::to_json)
            .collect()
    }

    /// Every tag, with computed `contents`, `interests` and `skills`.
    pub fn tags(&self) -> Vec<Value> {
        let db = self.db();
        db.tags.iter().map(|t| db.tag_json(t)).collect()
    }

    /// The configured skill levels `{name, isEnabled, value}`.
    pub fn skill_levels(&self) -> Vec<Value> {
        self.db()
            .skill_levels
            .iter()
            .map(SkillLevel::to_json)
            .collect()
    }

    /// Adds a content record (e.g. to an empty tenant) and returns its id.
    /// `content_type` should be one of the documented types (`video`,
    /// `article`, …).
    pub fn insert_content(&self, title: &str, content_type: &str) -> String {
        let now = now_millis();
        let mut db = self.db();
        let id = db.ids.next_id();
        db.contents.push(Content {
            id: id.clone(),
            title: title.to_owned(),
            description: format!("<p>{title}</p>"),
            tags: Vec::new(),
            kind: content_type.to_owned(),
            created_at: now,
            updated_at: now,
            author: None,
            is_official: false,
            duration_minutes: Some(10),
            history: vec![ContentHistory {
                action: "created",
                at: now,
                by_type: "system",
                by_value: None,
            }],
        });
        id
    }

    /// Adds a tag (e.g. to an empty tenant) and returns its id; an existing
    /// tag of that name (case-insensitive) is returned as is.
    pub fn insert_tag(&self, name: &str) -> String {
        let now = now_millis();
        let mut db = self.db();
        if let Some(i) = db.tag_by_name(name) {
            return db.tags[i].id.clone();
        }
        let id = db.ids.next_id();
        db.tags.push(Tag {
            id: id.clone(),
            name: name.to_owned(),
            campaigns: Vec::new(),
            updated_at: now,
        });
        id
    }

    // ----- tokens -----

    /// Forgets every issued OAuth token: Bearer calls then get 401 until the
    /// client fetches a new token.
    pub fn revoke_tokens(&self) {
        self.tokens().revoke_all();
    }

    /// Marks every issued OAuth token expired (401 on use), as if an hour had
    /// passed.
    pub fn expire_tokens(&self) {
        self.tokens().expire_all();
    }

    /// Issues a token without HTTP, for `scope` as the token endpoint reads
    /// it (e.g. `"api/read"`, `"api/read api/write"`; empty = `api/all`).
    /// `None` for an unknown scope.
    pub fn issue_token(&self, scope: &str) -> Option<String> {
        let scopes = Scopes::parse(Some(scope))?;
        let ttl = std::time::Duration::from_secs(self.shared.config.token_ttl_secs);
        let token = self.tokens().issue(scopes, ttl);
        self.stats_mut().tokens_issued += 1;
        Some(token)
    }

    // ----- faults and stats -----

    /// The fault settings in force.
    pub fn faults(&self) -> Faults {
        self.faults_mut().faults
    }

    /// Replaces the fault settings (takes effect for the next request).
    pub fn set_faults(&self, faults: Faults) {
        self.faults_mut().faults = faults;
    }

    /// Queues faults for the next affected requests, one each, before any
    /// rate-based fault is rolled.
    pub fn queue_faults(&self, faults: impl IntoIterator<Item = OneShotFault>) {
        self.faults_mut().enqueue(faults);
    }

    /// Switches every fault off: rates, latency and the one-shot queue.
    pub fn clear_faults(&self) {
        let mut f = self.faults_mut();
        f.faults = Faults::default();
        f.clear_queue();
    }

    /// A snapshot of the counters.
    pub fn stats(&self) -> Stats {
        self.stats_mut().clone()
    }

    /// Zeroes the counters.
    pub fn reset_stats(&self) {
        *self.stats_mut() = Stats::default();
    }
}
