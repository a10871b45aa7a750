//! `thrive_list_tags`: `GET /rest/v1/tags`.

use super::Tag;
use crate::thrive::listing::updated_since_list;

updated_since_list! {
    ListTags(ListTagsParams) -> Page<Tag> {
        description: "List tags in Thrive and return tag information with pagination.",
        id: "thrive_list_tags",
        title: "List tags",
        endpoint: "GET /rest/v1/tags",
        // Whether `/tags` pages at all is disputed (a third party reads the spec
        // as returning `results` with no `pagination`). The paging inputs are
        // sent as the seed describes; a missing `pagination` becomes `null`, and
        // the runtime then stops at the first page shorter than `perPage`.
        paging: PerPage1000,
        /// Return only tags updated on or after this date/time (ISO 8601), e.g.
        /// `2024-01-01T00:00:00Z`.
        updated_since,
    }
}
