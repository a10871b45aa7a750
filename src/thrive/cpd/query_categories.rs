//! `thrive_query_cpd_categories`: `GET /rest/v1/cpdCategories`.

use super::CpdCategory;
use crate::thrive::listing::updated_since_list;

updated_since_list! {
    QueryCpdCategories(QueryCpdCategoriesParams) -> Page<CpdCategory> {
        description: "Query CPD categories in Thrive and return results with pagination.",
        id: "thrive_query_cpd_categories",
        title: "Query CPD categories",
        endpoint: "GET /rest/v1/cpdCategories",
        paging: PerPage1000,
        /// Return only items updated on or after this date/time (ISO 8601), e.g.
        /// `2024-01-01T00:00:00Z`. Categories carry no update time in any documented schema, so Thrive may ignore this filter.
        updated_since,
    }
}
