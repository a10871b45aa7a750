//! CPD: categories, entries, requirements and user summaries.
//!
//! Identifier fields are not `id`: categories use `categoryId`, entries
//! `logEntryId`, requirement summaries `audienceRequirementId`.

mod get_category;
mod get_entry;
mod get_requirement;
mod query_categories;
mod query_entries;
mod query_requirements;
mod query_user_summaries;

pub use get_category::{GetCpdCategory, GetCpdCategoryParams};
pub use get_entry::{GetCpdEntry, GetCpdEntryParams};
pub use get_requirement::{GetCpdRequirement, GetCpdRequirementParams};
pub use query_categories::{QueryCpdCategories, QueryCpdCategoriesParams};
pub use query_entries::{QueryCpdEntries, QueryCpdEntriesParams};
pub use query_requirements::{QueryCpdRequirements, QueryCpdRequirementsParams};
pub use query_user_summaries::{QueryCpdUserSummaries, QueryCpdUserSummariesParams};

use crate::wire::ApiResponse;
use crate::wire::read::{self, FromResponse, RawResponse};
use crate::wire::record::record;
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Number;

record! {
    /// A CPD category.
    pub struct CpdCategory {
        /// Unique ID for this category record.
        pub category_id: Option<String>,
        /// Name of the category of CPD activity.
        pub name: Option<String>,
    }
}

record! {
    /// The content item a CPD log entry is for.
    pub struct CpdActivity {
        /// The type of content (e.g. file, article, video).
        pub r#type: Option<String>,
        /// The name of the content item.
        pub name: Option<String>,
    }
}

record! {
    /// A CPD log entry.
    pub struct CpdEntry {
        /// Unique ID for this activity record.
        pub log_entry_id: Option<String>,
        /// User ID who triggered this activity record.
        pub user_id: Option<String>,
        /// The content item associated with the CPD log entry.
        pub activity: Option<CpdActivity>,
        /// The CPD category.
        pub category: Option<CpdCategory>,
        /// The date and time the CPD entry was logged (ISO 8601).
        pub entry_date: Option<String>,
        /// Minutes logged as CPD from this activity.
        pub duration_minutes: Option<Number>,
        /// Summary or reflective statement.
        pub description: Option<String>,
        /// Whether the activity was generated from verified system activity.
        pub is_verified: Option<bool>,
    }
}

record! {
    /// A CPD requirement summary.
    pub struct CpdRequirement {
        /// Unique ID for this requirement record.
        pub audience_requirement_id: Option<String>,
        /// ID of the audience this requirement applies to.
        pub audience_id: Option<String>,
        /// Number of minutes required for CPD completion.
        pub required_minutes: Option<Number>,
        /// Creation timestamp (ISO 8601).
        pub created_at: Option<String>,
        /// Last-update timestamp (ISO 8601).
        pub updated_at: Option<String>,
    }
}

record! {
    /// One user's CPD total for a period.
    pub struct CpdUserSummary {
        /// ID of the user this summary is for.
        pub user_id: Option<String>,
        /// Total CPD minutes logged by the user in the period.
        pub duration_minutes: Option<Number>,
    }
}

/// `{category}` output of the get-category tool.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct CategoryOutput {
    /// The CPD category (`null` if Thrive answered with an empty body).
    pub category: Option<CpdCategory>,
}

impl FromResponse for CategoryOutput {
    fn from_response(response: ApiResponse) -> crate::Result<Self> {
        read::object(response).map(|category| Self { category })
    }

    fn from_raw(raw: RawResponse) -> crate::Result<Self> {
        read::raw::object(raw).map(|category| Self { category })
    }
}

/// `{entry}` output of the get-entry tool.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct EntryOutput {
    /// The CPD entry (`null` if Thrive answered with an empty body).
    pub entry: Option<CpdEntry>,
}

impl FromResponse for EntryOutput {
    fn from_response(response: ApiResponse) -> crate::Result<Self> {
        read::object(response).map(|entry| Self { entry })
    }

    fn from_raw(raw: RawResponse) -> crate::Result<Self> {
        read::raw::object(raw).map(|entry| Self { entry })
    }
}

/// `{requirement}` output of the get-requirement tool.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct RequirementOutput {
    /// The CPD requirement (`null` if Thrive answered with an empty body).
    pub requirement: Option<CpdRequirement>,
}

impl FromResponse for RequirementOutput {
    fn from_response(response: ApiResponse) -> crate::Result<Self> {
        read::object(response).map(|requirement| Self { requirement })
    }

    fn from_raw(raw: RawResponse) -> crate::Result<Self> {
        read::raw::object(raw).map(|requirement| Self { requirement })
    }
}
