//! `thrive_search_users`: `GET /rest/v1/users`.

use super::{User, UserStatus, status_names};
use crate::api::ApiRequest;
use crate::block::Block;
use crate::error::{Result, Violation};
use crate::params::check_date_input;
use crate::params::{CommaList, DateText, Instant};
use crate::register_tool;
use crate::thrive::check_comma_list;
use crate::thrive::common::Page;
use crate::tool::{Hints, Paging, Tool};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Inputs of [`SearchUsers`].
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SearchUsersParams {
    /// `page` and `perPage`.
    #[serde(flatten)]
    pub paging: crate::thrive::paging::PerPage1000Whole,
    /// Return only users updated on or after this date/time (ISO 8601), e.g.
    /// 2024-01-01T00:00:00Z.
    pub updated_since: Option<DateText<Instant>>,
    /// Only users with one of these statuses, e.g. active. Leave empty for
    /// every status.
    pub statuses: Option<CommaList<super::UserStatuses>>,
    /// Leave out users with these statuses, e.g. expired.
    pub omit_statuses: Option<CommaList<super::UserStatuses>>,
    /// Filter by a single status: active, inactive, expired, or new.
    pub status: Option<UserStatus>,
}

/// Search users in Thrive and return basic user information with pagination.
pub struct SearchUsers;

impl Block for SearchUsers {
    type Params = SearchUsersParams;
    type Output = Page<User>;

    const ID: &'static str = "thrive_search_users";
    const TITLE: &'static str = "Search users";
    const DESCRIPTION: &'static str =
        "Search users in Thrive and return basic user information with pagination.";
    const ENDPOINT: &'static str = "GET /rest/v1/users";
    const HINTS: Hints = Hints::READ;
    const PAGING: Paging = crate::thrive::paging::PerPage1000Whole::PAGING;

    fn validate(p: &Self::Params, out: &mut Vec<Violation>) {
        check_date_input("updatedSince", p.updated_since.as_ref(), out);
        check_comma_list(
            "statuses",
            p.statuses.as_deref(),
            Some(&status_names()),
            out,
        );
        check_comma_list(
            "omitStatuses",
            p.omit_statuses.as_deref(),
            Some(&status_names()),
            out,
        );
    }
}

impl Tool for SearchUsers {
    fn request(p: &Self::Params) -> Result<ApiRequest> {
        // Not documented: how `statuses`, `omitStatuses` and `status` combine.
        // Each is sent (list items trimmed) and Thrive decides.
        ApiRequest::endpoint(Self::ENDPOINT, &[])?.query_fields(p)
    }
}

register_tool!(SearchUsers);
