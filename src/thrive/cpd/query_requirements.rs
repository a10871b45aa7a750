//! `thrive_query_cpd_requirements`: `GET /rest/v1/cpdRequirementSummaries`.

use super::CpdRequirement;
use crate::thrive::listing::updated_since_list;

updated_since_list! {
    QueryCpdRequirements(QueryCpdRequirementsParams) -> Page<CpdRequirement> {
        description: "Query CPD requirement summaries in Thrive and return results with pagination.",
        id: "thrive_query_cpd_requirements",
        title: "Query CPD requirements",
        endpoint: "GET /rest/v1/cpdRequirementSummaries",
        paging: PerPage1000,
        /// Return only items updated on or after this date/time (ISO 8601), e.g.
        /// `2024-01-01T00:00:00Z`. Compared with each summary's `updatedAt`.
        updated_since,
    }
}
