//! Users: the v2 lifecycle writes (keyed by `ref`) and the v1 reads.

mod create;
mod delete;
mod get_by_id;
mod get_by_ref;
mod search;
mod suspend;
mod update;

pub use create::{CreateUser, CreateUserParams};
pub use delete::{DeleteUser, DeleteUserParams};
pub use get_by_id::{GetUserById, GetUserByIdParams};
pub use get_by_ref::{GetUserByRef, GetUserByRefParams};
pub use search::{SearchUsers, SearchUsersParams};
pub use suspend::{SuspendUser, SuspendUserParams};
pub use update::{UpdateUser, UpdateUserParams};

use crate::api::ApiRequest;
use crate::error::{Result, Violation};
use crate::params::{DateText, Day, JsonObject, check_date_input, together};
use crate::wire::ApiResponse;
use crate::wire::read::{self, FromResponse, RawResponse};
use crate::wire::record::record;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Number;
use serde_json::Value;

/// How a user logs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum LoginMethod {
    /// With their email address (the default).
    Email,
    /// With their ref as the username ("non-email users").
    Ref,
}

impl LoginMethod {
    /// The value Thrive expects.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Ref => "ref",
        }
    }
}

/// A user's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Super Admin in the UI.
    Administrator,
    /// Learning Admin in the UI.
    Learneradmin,
    /// Learner (the default).
    Learner,
}

impl Role {
    /// The value Thrive expects.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Administrator => "administrator",
            Self::Learneradmin => "learneradmin",
            Self::Learner => "learner",
        }
    }
}

/// A user's account status, as the v1 reads report it and the search
/// filters take it. Thrive does not document what each value means; the
/// readings below are the likely ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum UserStatus {
    /// The account is active.
    Active,
    /// The account is inactive (e.g. suspended).
    Inactive,
    /// The account has expired (likely past its end date).
    Expired,
    /// A new account (likely not yet activated or never logged in).
    New,
}

impl UserStatus {
    /// Every status, in the order the docs list them.
    pub const ALL: [Self; 4] = [Self::Active, Self::Inactive, Self::Expired, Self::New];

    /// The value Thrive expects.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Inactive => "inactive",
            Self::Expired => "expired",
            Self::New => "new",
        }
    }
}

/// The checks a user's create and update share: the two dates.
fn check_profile(
    start_date: Option<&DateText<Day>>,
    end_date: Option<&DateText<Day>>,
    out: &mut Vec<Violation>,
) {
    check_date_input("startDate", start_date, out);
    check_date_input("endDate", end_date, out);
}

/// The create or update request: `endpoint`, with every given field of
/// `params` as the body. The custom fields object is read first
/// ([`JsonObject::map`]), so its problems are reported under its name,
/// together with the path's.
fn profile_request(
    endpoint: Result<ApiRequest>,
    additional_fields: Option<&JsonObject>,
    params: &impl Serialize,
) -> Result<ApiRequest> {
    let fields = additional_fields
        .map(|f| f.map("additionalFields"))
        .transpose();
    let (_, request) = together(fields, endpoint)?;
    request.body_fields(params)
}

/// The status values as a list, for checking comma-separated inputs.
fn status_names() -> Vec<&'static str> {
    UserStatus::ALL.iter().map(|s| s.as_str()).collect()
}

record! {
    /// The user-lifecycle object returned by the v2 create, update and suspend calls.
    pub struct LifecycleUser {
        /// The user ID.
        pub id: Option<String>,
        /// How the user logs in.
        pub login_method: Option<String>,
        /// Your organisation's unique identifier for the user.
        pub r#ref: Option<String>,
        /// The email address for the user.
        pub email: Option<String>,
        /// The given name of the individual.
        pub first_name: Option<String>,
        /// The family name of the individual.
        pub last_name: Option<String>,
        /// Role assigned to this individual.
        pub role: Option<String>,
        /// Name of this individual's role.
        pub job_title: Option<String>,
        /// The line manager's ref.
        pub manager_ref: Option<String>,
        /// Date started with the organisation.
        pub start_date: Option<String>,
        /// Date left the organisation.
        pub end_date: Option<String>,
        /// The user's preferred timezone.
        pub time_zone: Option<String>,
        /// The user's preferred language.
        pub language_code: Option<String>,
        /// Whether the account is active or suspended.
        pub active: Option<bool>,
        /// Date/time the user was created.
        pub created_at: Option<String>,
        /// Date/time the user was last modified.
        pub updated_at: Option<String>,
        /// Whether the account is managed by an auth provider.
        pub sso: Option<bool>,
        /// Domain this individual is associated with.
        pub domain: Option<String>,
        /// Custom field values for this user.
        pub additional_fields: Option<Value>,
    }
}

/// `{user}` output of the lifecycle tools.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct UserOutput {
    /// The user (`null` if Thrive answered with an empty body).
    pub user: Option<LifecycleUser>,
}

impl FromResponse for UserOutput {
    fn from_response(response: ApiResponse) -> crate::Result<Self> {
        read::object(response).map(|user| Self { user })
    }

    fn from_raw(raw: RawResponse) -> crate::Result<Self> {
        read::raw::object(raw).map(|user| Self { user })
    }
}

record! {
    /// One of a user's positions (v1 reads).
    pub struct UserPosition {
        /// The position's ID.
        pub id: Option<String>,
        /// The position's line manager, or null. The docs show `{"id": ...}`;
        /// other sources also give `name` and `ref`, so it is kept as it came.
        pub manager: Option<Value>,
        /// The ID of the organisational unit the position belongs to.
        pub ou_id: Option<String>,
        /// Whether the position is active.
        pub is_active: Option<bool>,
        /// When the position started (ISO 8601).
        pub start_date: Option<String>,
        /// When the position ended (ISO 8601), or null.
        pub end_date: Option<String>,
        /// Creation timestamp (ISO 8601).
        pub created_at: Option<String>,
        /// Last-update timestamp (ISO 8601).
        pub updated_at: Option<String>,
    }
}

record! {
    /// The full v1 User, returned by search and get-by-id.
    pub struct User {
        /// The user's ID.
        pub id: Option<String>,
        /// The user's ref.
        pub r#ref: Option<String>,
        /// The user's first name.
        pub first_name: Option<String>,
        /// The user's last name.
        pub last_name: Option<String>,
        /// The user's email.
        pub email: Option<String>,
        /// The user's role.
        pub role: Option<String>,
        /// The user's status (active, inactive, expired or new).
        pub status: Option<String>,
        /// The user's positions.
        pub positions: Option<Vec<UserPosition>>,
        /// Custom field values.
        pub additional_fields: Option<Value>,
        /// The user's language code.
        pub language_code: Option<String>,
        /// Whether the user has been deleted.
        pub deleted: Option<bool>,
        /// The user's compliance score.
        pub compliance: Option<Number>,
        /// The user's level.
        pub level: Option<Number>,
        /// First login timestamp (ISO 8601).
        pub first_login: Option<String>,
        /// Last login timestamp (ISO 8601).
        pub last_login: Option<String>,
        /// Tag membership (e.g. skills), kept as it came.
        pub tags: Option<Value>,
        /// IDs of users this user follows.
        pub users_following: Option<Vec<String>>,
        /// Tags this user follows.
        pub tags_following: Option<Vec<Value>>,
        /// Creation timestamp (ISO 8601).
        pub created_at: Option<String>,
        /// Last-update timestamp (ISO 8601).
        pub updated_at: Option<String>,
        /// Whether the user has a profile picture.
        pub has_picture: Option<bool>,
        /// The user's time zone.
        pub time_zone: Option<String>,
        /// The user's summary.
        pub summary: Option<String>,
        /// The user's relevancy score.
        pub relevancy: Option<Number>,
        /// The user's rank details, kept as they came (e.g. `{currentCategory, currentLevel}`).
        pub rank: Option<Value>,
        /// Whether the user agreed to the terms. Sources disagree on the type
        /// (boolean or string), so it is kept as it came.
        pub agreed_terms: Option<Value>,
        /// Whether the user has been onboarded.
        pub onboarded: Option<bool>,
        /// Audience IDs the user belongs to. Sources disagree on the items
        /// (strings or `{id}` objects), so it is kept as it came.
        pub audiences: Option<Value>,
        /// Whether the user uses single sign-on.
        pub single_sign_on: Option<bool>,
    }
}

/// `{user}` output of get-by-id: the full v1 User.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct FullUserOutput {
    /// The user (`null` if Thrive answered with an empty body).
    pub user: Option<User>,
}

impl FromResponse for FullUserOutput {
    fn from_response(response: ApiResponse) -> crate::Result<Self> {
        read::object(response).map(|user| Self { user })
    }

    fn from_raw(raw: RawResponse) -> crate::Result<Self> {
        read::raw::object(raw).map(|user| Self { user })
    }
}

record! {
    /// The v1 BasicUser, returned by get-by-ref.
    pub struct BasicUser {
        /// The user's ID.
        pub id: Option<String>,
        /// The user's ref.
        pub r#ref: Option<String>,
        /// The user's first name.
        pub first_name: Option<String>,
        /// The user's last name.
        pub last_name: Option<String>,
        /// The user's email.
        pub email: Option<String>,
        /// The user's role.
        pub role: Option<String>,
        /// The user's status (active, inactive, expired or new).
        pub status: Option<String>,
        /// The user's positions.
        pub positions: Option<Vec<UserPosition>>,
        /// Custom field values.
        pub additional_fields: Option<Value>,
        /// The user's language code.
        pub language_code: Option<String>,
    }
}

/// `{user}` output of get-by-ref: the v1 BasicUser.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct BasicUserOutput {
    /// The user (basic information; `null` if Thrive answered with an empty body).
    pub user: Option<BasicUser>,
}

impl FromResponse for BasicUserOutput {
    fn from_response(response: ApiResponse) -> crate::Result<Self> {
        read::object(response).map(|user| Self { user })
    }

    fn from_raw(raw: RawResponse) -> crate::Result<Self> {
        read::raw::object(raw).map(|user| Self { user })
    }
}

/// The statuses a comma-separated `statuses`/`omitStatuses` filter takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserStatuses {}

impl crate::params::ValueSet for UserStatuses {
    const VALUES: Option<&'static [&'static str]> = Some(&["active", "inactive", "expired", "new"]);
}
