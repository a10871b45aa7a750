//! The tenant's records in one place: [`Db`], with the switches the data
//! layer needs. The operations on it are in the sibling files, one per
//! resource; seeding it with demo data is `seed`'s job.

use crate::config::SandboxConfig;
use crate::model::assignments::Assignment;
use crate::model::audiences::Audience;
use crate::model::completions::Completion;
use crate::model::content::{Activity, Content};
use crate::model::cpd::{CpdCategory, CpdEntry, CpdRequirement};
use crate::model::tags::{SkillLevel, Tag, default_skill_levels};
use crate::model::users::UserStore;
use crate::rng::IdGen;

/// Behaviour switches the data layer needs.
#[derive(Clone, Debug)]
pub(crate) struct Policy {
    pub protect_ui_audiences: bool,
    pub default_time_zone: String,
}

/// Every record of the tenant, each list in creation order.
#[derive(Debug)]
pub(crate) struct Db {
    pub users: UserStore,
    pub audiences: Vec<Audience>,
    pub assignments: Vec<Assignment>,
    pub completions: Vec<Completion>,
    pub contents: Vec<Content>,
    pub activities: Vec<Activity>,
    pub cpd_categories: Vec<CpdCategory>,
    pub cpd_entries: Vec<CpdEntry>,
    pub cpd_requirements: Vec<CpdRequirement>,
    pub tags: Vec<Tag>,
    pub skill_levels: Vec<SkillLevel>,
    pub ids: IdGen,
    pub bulk_counter: usize,
    pub policy: Policy,
}

/// Base of the id "timestamps": 2024-01-01T00:00:00Z.
const ID_BASE_SECS: u32 = 1_704_067_200;

impl Db {
    /// An empty tenant (skill levels only).
    pub(crate) fn empty(config: &SandboxConfig) -> Self {
        Db {
            users: UserStore::default(),
            audiences: Vec::new(),
            assignments: Vec::new(),
            completions: Vec::new(),
            contents: Vec::new(),
            activities: Vec::new(),
            cpd_categories: Vec::new(),
            cpd_entries: Vec::new(),
            cpd_requirements: Vec::new(),
            tags: Vec::new(),
            skill_levels: default_skill_levels(),
            ids: IdGen::new(config.seed, ID_BASE_SECS),
            bulk_counter: 0,
            policy: Policy {
                protect_ui_audiences: config.protect_ui_audiences,
                default_time_zone: config.default_time_zone.clone(),
            },
        }
    }
}
