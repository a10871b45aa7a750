//! Audience managers: list, add, replace, remove.
//!
//! Two permission shapes exist. The list call returns the full sets
//! ([`ManagerPermissions`]); add and replace take a smaller input set
//! ([`ManagerPermissionsInput`]) without `audienceManager.manageMembers` and
//! `administrator.canManageAudiences`, which are output-only.

mod add;
mod list;
mod remove;
mod replace;

pub use add::{AddAudienceManagers, AddAudienceManagersParams};
pub use list::{ListAudienceManagers, ListAudienceManagersParams};
pub use remove::{RemoveAudienceManager, RemoveAudienceManagerParams};
pub use replace::{ReplaceAudienceManagers, ReplaceAudienceManagersParams};

use crate::error::{Error, ErrorCode, Result, Violation};
use crate::params::Required;
use crate::wire::ApiResponse;
use crate::wire::read::{self, FromResponse, RawResponse};
use crate::wire::record::record;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

// ---------------------------------------------------------------- output --

record! {
    /// Audience-manager permissions of a manager, as the list call returns them.
    pub struct AudienceManagerPermissions {
        /// May add or remove members of the audience in the UI.
        pub manage_members: Option<bool>,
        /// May share or unshare content with the audience in the UI.
        pub manage_content: Option<bool>,
        /// May create, edit or remove the audience's assignments in the UI.
        pub assignments: Option<bool>,
    }
}

record! {
    /// People-manager permissions of a manager, as the list call returns them.
    pub struct PeopleManagerPermissions {
        /// May view the members' learn page.
        pub can_view_learn_page: Option<bool>,
        /// May see how the audience uses content and search, and run compliance
        /// reports on its members' assignments.
        pub insights: Option<bool>,
        /// May add or edit goals for members.
        pub manage: Option<bool>,
    }
}

record! {
    /// Administrator permissions of a manager (structures only).
    pub struct AdministratorPermissions {
        /// May create and edit child audiences of the structure.
        pub can_manage_audiences: Option<bool>,
        /// May add or edit managers of the structure's child audiences.
        pub can_add_audience_managers: Option<bool>,
    }
}

record! {
    /// The manager permissions.
    pub struct ManagerPermissions {
        /// Audience manager permissions.
        pub audience_manager: Option<AudienceManagerPermissions>,
        /// People manager permissions.
        pub people_manager: Option<PeopleManagerPermissions>,
        /// Administrator permissions (structures only; `null` for child audiences).
        pub administrator: Option<AdministratorPermissions>,
    }
}

record! {
    /// One manager of an audience, as the list call returns it.
    pub struct AudienceManager {
        /// The user's id.
        pub user_id: Option<String>,
        /// The user's reference.
        pub reference: Option<String>,
        /// The user's email.
        pub email: Option<String>,
        /// The manager permissions.
        pub permissions: Option<ManagerPermissions>,
    }
}

/// `{managers}` output of [`ListAudienceManagers`].
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ManagersOutput {
    /// The audience managers (`[]` when Thrive sends no array).
    pub managers: Vec<AudienceManager>,
}

impl FromResponse for ManagersOutput {
    fn from_response(response: ApiResponse) -> crate::Result<Self> {
        read::bare_array(response).map(|managers| Self { managers })
    }

    fn from_raw(raw: RawResponse) -> crate::Result<Self> {
        read::raw::bare_array(raw).map(|managers| Self { managers })
    }
}

// ----------------------------------------------------------------- input --
//
// The input sets refuse unknown keys, so a typo or an output-only key
// (`manageMembers`, `canManageAudiences`) is reported with the item's index
// instead of being sent and silently ignored by Thrive.
//
// Every boolean is optional and serialised only when the user gave it: the
// docs say omitted input booleans default to false on Thrive's side, so the
// client does not invent `false` values (and a set the user left out stays
// out, which matters for `administrator` on child audiences, whose handling
// is not documented).

/// Audience-manager permissions to grant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AudienceManagerPermissionsInput {
    /// May share or unshare content with the audience (Thrive's default: false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manage_content: Option<bool>,
    /// May create, edit or remove the audience's assignments (Thrive's default: false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignments: Option<bool>,
}

/// People-manager permissions to grant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PeopleManagerPermissionsInput {
    /// May view the members' learn page (default: false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub can_view_learn_page: Option<bool>,
    /// May see insights and run compliance reports (default: false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insights: Option<bool>,
    /// May add or edit goals for members (default: false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manage: Option<bool>,
}

/// Administrator permissions to grant (structures only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AdministratorPermissionsInput {
    /// May add or edit managers of the structure's child audiences (default: false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub can_add_audience_managers: Option<bool>,
}

/// The permission sets of a manager to add or replace.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ManagerPermissionsInput {
    /// Audience manager permissions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience_manager: Option<AudienceManagerPermissionsInput>,
    /// People manager permissions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub people_manager: Option<PeopleManagerPermissionsInput>,
    /// Administrator permissions; only for structures (what Thrive does with
    /// it on a child audience is not documented).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub administrator: Option<AdministratorPermissionsInput>,
}

/// One item of the `managers` input: `{reference, permissions}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ManagerInput {
    /// The user's email or reference (required, not blank; sent trimmed).
    pub reference: Required,
    /// The user's Thrive id. Not in the input schema, but the docs' examples
    /// show it; sent as given when present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(skip)]
    pub user_id: Option<String>,
    /// The user's email. Not in the input schema, but the docs' examples show
    /// it; sent as given when present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(skip)]
    pub email: Option<String>,
    /// The permissions to grant. May be left out: the documented booleans
    /// then default to false on Thrive's side.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions: Option<ManagerPermissionsInput>,
}

/// A manager's `reference` is sent trimmed, so a blank one is refused, as
/// `/{field}/{i}/reference`.
impl crate::params::ListItem for ManagerInput {
    fn check(&self, field: &str, i: usize, out: &mut Vec<Violation>) {
        if self.reference.trim().is_empty() {
            out.push(Violation::new(
                format!("/{field}/{i}/reference"),
                format!("{field}[{i}].reference must not be empty"),
            ));
        }
    }
}

/// The bare-array body of an add or replace: the items as given, with each
/// `reference` trimmed.
pub(crate) fn managers_body(items: &[ManagerInput]) -> Result<Value> {
    let trimmed: Vec<ManagerInput> = items
        .iter()
        .map(|m| ManagerInput {
            reference: Required::new(m.reference.trim()),
            ..m.clone()
        })
        .collect();
    serde_json::to_value(trimmed).map_err(|e| {
        Error::new(
            ErrorCode::InvalidInput,
            format!("managers could not be serialised: {e}"),
        )
    })
}
