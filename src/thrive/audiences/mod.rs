//! Audiences and structures: list, create, get, update (and move), delete.

mod create;
mod delete;
mod get;
mod list;
mod update;

pub use create::{CreateAudience, CreateAudienceParams};
pub use delete::{DeleteAudience, DeleteAudienceParams};
pub use get::{GetAudience, GetAudienceParams};
pub use list::{ListAudiences, ListAudiencesParams};
pub use update::{UpdateAudience, UpdateAudienceParams};

use crate::thrive::common::BulkResult;
use crate::wire::ApiResponse;
use crate::wire::read::{self, FromResponse, RawResponse};
use crate::wire::record::record;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The category of an audience: a top-level structure or a child audience.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum AudienceCategory {
    /// A child audience inside a structure; created with a parentId.
    Audience,
    /// A top-level audience for an organisational unit; created without a parentId.
    Structure,
}

impl AudienceCategory {
    /// The value Thrive expects.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Audience => "audience",
            Self::Structure => "structure",
        }
    }
}

record! {
    /// The parent of a child audience (only a child audience has one).
    pub struct AudienceParent {
        /// The name of the parent audience.
        pub name: Option<String>,
        /// The external reference for the parent.
        pub reference: Option<String>,
        /// The id of the parent audience/structure.
        pub id: Option<String>,
    }
}

record! {
    /// An audience or structure.
    pub struct Audience {
        /// The id of the audience.
        pub id: Option<String>,
        /// The name of the audience.
        pub name: Option<String>,
        /// The external reference for the audience.
        pub reference: Option<String>,
        /// Whether the audience is API controlled (then it can only be changed
        /// through the API, and is always of type "manual").
        pub api_controlled: Option<bool>,
        /// Either "audience" or "structure".
        pub category: Option<String>,
        /// Either "manual" or "smart".
        pub r#type: Option<String>,
        /// Parent audience/structure information (`null` on a structure).
        pub parent: Option<AudienceParent>,
        /// Creation timestamp (ISO 8601).
        pub created_at: Option<String>,
        /// Last-update timestamp (ISO 8601).
        pub updated_at: Option<String>,
    }
}

/// `{audience}` output of the create and get tools.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct AudienceOutput {
    /// The audience (`null` if Thrive answered with an empty body).
    pub audience: Option<Audience>,
}

impl FromResponse for AudienceOutput {
    fn from_response(response: ApiResponse) -> crate::Result<Self> {
        read::object(response).map(|audience| Self { audience })
    }

    fn from_raw(raw: RawResponse) -> crate::Result<Self> {
        read::raw::object(raw).map(|audience| Self { audience })
    }
}

/// The audience an update returns: the [`Audience`] plus what happened to
/// its members when it was moved to a new parent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdatedAudience {
    /// The audience itself.
    #[serde(flatten)]
    pub audience: Audience,
    /// The member operations of a move: `null` when the audience was not
    /// moved; on a partial success (HTTP 207) `failure` lists the members
    /// that could not be removed from the old parent.
    pub member_operations: Option<BulkResult>,
}

/// Output of the update tool: `{audience, partial}`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct UpdateAudienceOutput {
    /// The updated audience, with `memberOperations` (`null` if Thrive
    /// answered with an empty body).
    pub audience: Option<UpdatedAudience>,
    /// True when Thrive reported a partial success (HTTP 207): the audience
    /// was moved but some members could not be removed from the old parent;
    /// they are listed in `audience.memberOperations.failure`. Branch on this.
    pub partial: bool,
}
