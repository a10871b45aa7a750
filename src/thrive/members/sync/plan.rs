//! Pure planning: the difference between an audience's members and a target
//! list, cut into resumable steps. No I/O here.

use crate::thrive::members::AudienceMember;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// Users per add call: Thrive takes 1–100 per `POST …/members`.
pub const ADD_CHUNK: usize = 100;
/// Users per remove step. Thrive removes one user per
/// `DELETE …/members/{userRef}`, so a remove step of this many users makes
/// this many calls; the step is the unit a durable engine journals.
pub const REMOVE_CHUNK: usize = 100;
/// Members read per page (`perPage` maximum of the list-members call).
pub const READ_PAGE: usize = 1000;

/// What a sync will do: computed once from the current members and the
/// target list, then run step by step ([`SyncPlan::steps`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SyncPlan {
    /// The audience id or reference the plan is for.
    pub audience_id: String,
    /// Members the audience had when the plan was made.
    pub current: usize,
    /// Distinct users in the target list.
    pub target: usize,
    /// Target users that were already members (nothing sent for them).
    pub unchanged: usize,
    /// Target entries that named a user already named earlier in the list
    /// (the same text, or the same member by another identifier); skipped.
    pub duplicates: usize,
    /// Users to add, as given in the target list, in target order.
    pub to_add: Vec<String>,
    /// Members to remove, by user id (or reference, or email, when Thrive
    /// gave no id), in the order Thrive listed them.
    pub to_remove: Vec<String>,
    /// The same members with every name Thrive gave (id, reference,
    /// email), so a person reading a dry run can tell who they are. Only
    /// shown; the steps use [`SyncPlan::to_remove`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub removals: Vec<PlannedRemoval>,
}

/// A member a plan would remove, as Thrive listed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PlannedRemoval {
    /// The user's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// The user's reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// The user's email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// One resumable step of a [`SyncPlan`]: `index` counts from 0 over all
/// steps (adds first, then removes), so "step k of n" names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum SyncStep {
    /// One `POST …/members` call with at most [`ADD_CHUNK`] users.
    Add {
        /// The step's position among all steps.
        index: usize,
        /// The users to add.
        users: Vec<String>,
    },
    /// One `DELETE …/members/{userRef}` call per user, at most
    /// [`REMOVE_CHUNK`] users.
    Remove {
        /// The step's position among all steps.
        index: usize,
        /// The members to remove.
        users: Vec<String>,
    },
}

impl SyncStep {
    /// The step's position among all steps of its plan.
    pub fn index(&self) -> usize {
        match self {
            Self::Add { index, .. } | Self::Remove { index, .. } => *index,
        }
    }

    /// The users the step touches.
    pub fn users(&self) -> &[String] {
        match self {
            Self::Add { users, .. } | Self::Remove { users, .. } => users,
        }
    }

    /// The HTTP calls the step makes when nothing is retried.
    pub fn calls(&self) -> usize {
        match self {
            Self::Add { .. } => 1,
            Self::Remove { users, .. } => users.len(),
        }
    }
}

/// How many HTTP calls a plan costs when nothing is retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RequestCount {
    /// Pages of members read to make the plan (at least one).
    pub reads: usize,
    /// `POST …/members` calls: one per [`ADD_CHUNK`] users to add.
    pub adds: usize,
    /// `DELETE …/members/{userRef}` calls: one per member to remove
    /// (Thrive removes one member per call).
    pub removes: usize,
    /// All of the above.
    pub total: usize,
}

impl SyncPlan {
    /// Compares the current members with the target list.
    ///
    /// A target entry is an email, a reference or a user id, as Thrive
    /// accepts them. It matches a member whose `userId` or `reference` is
    /// equal to it, or whose `email` is equal ignoring case. Blank entries
    /// are ignored (the tool's checks refuse them before this runs).
    pub fn compute(audience_id: &str, current: &[AudienceMember], target: &[String]) -> Self {
        // identifier -> member index
        let mut index: HashMap<String, usize> = HashMap::with_capacity(current.len() * 3);
        for (i, m) in current.iter().enumerate() {
            if let Some(id) = m.user_id.as_deref().filter(|s| !s.is_empty()) {
                index.entry(id.to_owned()).or_insert(i);
            }
            if let Some(r) = m.reference.as_deref().filter(|s| !s.is_empty()) {
                index.entry(r.to_owned()).or_insert(i);
            }
            if let Some(e) = m.email.as_deref().filter(|s| !s.is_empty()) {
                index.entry(email_key(e)).or_insert(i);
            }
        }
        let mut kept = vec![false; current.len()];
        let mut seen: HashSet<String> = HashSet::with_capacity(target.len());
        let mut to_add = Vec::new();
        let (mut unchanged, mut duplicates, mut distinct) = (0, 0, 0);
        for raw in target {
            let item = raw.trim();
            if item.is_empty() {
                continue;
            }
            if !seen.insert(item.to_owned()) {
                duplicates += 1;
                continue;
            }
            let hit = index
                .get(item)
                .or_else(|| index.get(&email_key(item)))
                .copied();
            match hit {
                Some(i) if kept[i] => duplicates += 1,
                Some(i) => {
                    kept[i] = true;
                    unchanged += 1;
                    distinct += 1;
                }
                None => {
                    to_add.push(item.to_owned());
                    distinct += 1;
                }
            }
        }
        let to_remove = current
            .iter()
            .zip(&kept)
            .filter(|(_, kept)| !**kept)
            .filter_map(|(m, _)| member_key(m))
            .collect();
        let given = |s: &Option<String>| s.clone().filter(|s| !s.is_empty());
        let removals = current
            .iter()
            .zip(&kept)
            .filter(|(m, kept)| !**kept && member_key(m).is_some())
            .map(|(m, _)| PlannedRemoval {
                user_id: given(&m.user_id),
                reference: given(&m.reference),
                email: given(&m.email),
            })
            .collect();
        Self {
            audience_id: audience_id.to_owned(),
            current: current.len(),
            target: distinct,
            unchanged,
            duplicates,
            to_add,
            to_remove,
            removals,
        }
    }

    /// The steps, adds first (so nobody in the target is ever missing longer
    /// than needed), then removes.
    pub fn steps(&self) -> Vec<SyncStep> {
        let adds = self.to_add.chunks(ADD_CHUNK).map(|c| c.to_vec());
        let removes = self.to_remove.chunks(REMOVE_CHUNK).map(|c| c.to_vec());
        let mut steps: Vec<SyncStep> = adds
            .enumerate()
            .map(|(index, users)| SyncStep::Add { index, users })
            .collect();
        let offset = steps.len();
        steps.extend(removes.enumerate().map(|(i, users)| SyncStep::Remove {
            index: offset + i,
            users,
        }));
        steps
    }

    /// The number of steps.
    pub fn step_count(&self) -> usize {
        self.to_add.len().div_ceil(ADD_CHUNK) + self.to_remove.len().div_ceil(REMOVE_CHUNK)
    }

    /// The HTTP calls this plan costs without retries, reads included.
    pub fn requests(&self) -> RequestCount {
        let reads = self.current.div_ceil(READ_PAGE).max(1);
        let adds = self.to_add.len().div_ceil(ADD_CHUNK);
        let removes = self.to_remove.len();
        RequestCount {
            reads,
            adds,
            removes,
            total: reads + adds + removes,
        }
    }
}

fn email_key(s: &str) -> String {
    s.to_lowercase()
}

/// How a member is named in a remove call: its id, else its reference,
/// else its email.
fn member_key(m: &AudienceMember) -> Option<String> {
    [&m.user_id, &m.reference, &m.email]
        .into_iter()
        .flatten()
        .find(|s| !s.is_empty())
        .cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(id: &str, reference: &str, email: &str) -> AudienceMember {
        AudienceMember {
            user_id: Some(id.into()),
            reference: Some(reference.into()),
            email: Some(email.into()),
            extra: Default::default(),
        }
    }

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn matches_by_id_reference_or_email_ignoring_email_case() {
        let current = [
            member("u1", "EMP-1", "one@x.io"),
            member("u2", "EMP-2", "two@x.io"),
            member("u3", "EMP-3", "three@x.io"),
            member("u4", "EMP-4", "four@x.io"),
        ];
        let target = strings(&["u1", "EMP-2", "THREE@x.io", "new@x.io", " EMP-2 ", ""]);
        let plan = SyncPlan::compute("a1", &current, &target);
        assert_eq!(plan.unchanged, 3);
        assert_eq!(plan.duplicates, 1);
        assert_eq!(plan.target, 4);
        assert_eq!(plan.to_add, strings(&["new@x.io"]));
        assert_eq!(plan.to_remove, strings(&["u4"]));
        assert_eq!(
            plan.removals,
            [PlannedRemoval {
                user_id: Some("u4".into()),
                reference: Some("EMP-4".into()),
                email: Some("four@x.io".into()),
            }]
        );
    }

    #[test]
    fn the_same_member_named_twice_is_a_duplicate() {
        let current = [member("u1", "EMP-1", "one@x.io")];
        let plan = SyncPlan::compute("a1", &current, &strings(&["EMP-1", "one@x.io"]));
        assert_eq!((plan.unchanged, plan.duplicates), (1, 1));
        assert!(plan.to_add.is_empty() && plan.to_remove.is_empty());
        assert!(plan.steps().is_empty());
    }

    #[test]
    fn steps_are_chunks_adds_first_and_calls_are_counted() {
        let current: Vec<AudienceMember> = (0..150)
            .map(|i| {
                member(
                    &format!("old{i}"),
                    &format!("OLD-{i}"),
                    &format!("old{i}@x.io"),
                )
            })
            .collect();
        let target: Vec<String> = (0..250).map(|i| format!("NEW-{i}")).collect();
        let plan = SyncPlan::compute("a1", &current, &target);
        let steps = plan.steps();
        let shape: Vec<(usize, &str, usize)> = steps
            .iter()
            .map(|s| match s {
                SyncStep::Add { index, users } => (*index, "add", users.len()),
                SyncStep::Remove { index, users } => (*index, "remove", users.len()),
            })
            .collect();
        assert_eq!(
            shape,
            vec![
                (0, "add", 100),
                (1, "add", 100),
                (2, "add", 50),
                (3, "remove", 100),
                (4, "remove", 50)
            ]
        );
        assert_eq!(plan.step_count(), 5);
        assert_eq!(steps[3].users()[0], "old0");
        assert_eq!(
            plan.requests(),
            RequestCount {
                reads: 1,
                adds: 3,
                removes: 150,
                total: 154
            }
        );
        assert_eq!(steps.iter().map(SyncStep::calls).sum::<usize>(), 153);
    }

    #[test]
    fn a_member_without_an_id_is_removed_by_reference() {
        let current = [AudienceMember {
            user_id: None,
            reference: Some("EMP-9".into()),
            email: None,
            extra: Default::default(),
        }];
        let plan = SyncPlan::compute("a1", &current, &strings(&["x"]));
        assert_eq!(plan.to_remove, strings(&["EMP-9"]));
        assert_eq!(plan.requests().reads, 1);
    }
}
