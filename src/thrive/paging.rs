//! The `page` and `perPage` inputs of paged endpoints, written once per
//! limit and wording and flattened into each list tool's params
//! (`#[serde(flatten)] pub paging: PerPage1000`). The generated schema is
//! the same as with the two fields written inline.

use crate::wire::meta::Paging;
use crate::wire::request::PageInputs;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Declares one paging-inputs type: its name, the two descriptions, the
/// largest `perPage` and how the answer pages (an envelope, or a bare array
/// with its default page size).
macro_rules! page_inputs {
    (@paging $max:literal, Envelope) => {
        Paging::Envelope { max_per_page: $max }
    };
    (@paging $max:literal, BareArray { default_per_page: $default:literal }) => {
        Paging::BareArray { max_per_page: $max, default_per_page: $default }
    };
    ($($(#[$meta:meta])* $name:ident {
        page: $page_doc:literal,
        per_page: $per_doc:literal,
        max: $max:literal,
        answer: $($answer:tt)+
    })+) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
        #[serde(rename_all = "camelCase")]
        pub struct $name {
            #[doc = $page_doc]
            #[schemars(range(min = 1))]
            pub page: Option<u32>,
            #[doc = $per_doc]
            #[schemars(range(min = 1, max = $max))]
            pub per_page: Option<u32>,
        }

        impl $name {
            /// How the endpoints taking these inputs page: the tool's
            /// [`Tool::PAGING`](crate::Tool::PAGING), so the limit is
            /// written once.
            pub const PAGING: Paging = page_inputs!(@paging $max, $($answer)+);
        }

        impl PageInputs for $name {
            fn page(&self) -> Option<u32> {
                self.page
            }
            fn per_page(&self) -> Option<u32> {
                self.per_page
            }
        }
    )+};
}

page_inputs! {
    /// Up to 1000 per page, 100 by default (CPD, tags).
    PerPage1000 {
        page: "Page number for pagination (default 1).",
        per_page: "Number of results per page (1-1000, default 100).",
        max: 1000,
        answer: Envelope
    }
    /// Up to 1000 per page, 20 by default (content, activities).
    PerPage1000By20 {
        page: "Page number for pagination (default 1).",
        per_page: "Number of results per page (1-1000, default 20).",
        max: 1000,
        answer: Envelope
    }
    /// Up to 1000 per page, 100 by default, worded as whole numbers (users, audiences).
    PerPage1000Whole {
        page: "Page number for pagination (default 1). A whole number, at least 1.",
        per_page: "Number of results per page (1-1000, default 100). A whole number.",
        max: 1000,
        answer: Envelope
    }
    /// Up to 1000 per page, 100 by default, 1-based pages (audience members).
    PerPage1000OneBased {
        page: "Page number for pagination (default 1). 1-based.",
        per_page: "Number of results per page (1-1000, default 100).",
        max: 1000,
        answer: Envelope
    }
    /// Up to 100 per page of a bare array (assignments, enrolments).
    PerPage100Bare {
        page: "Page number for pagination (default 1).",
        per_page: "Number of results per page (1-100, default 100). Thrive answers with a bare array; the last page is the first one shorter than perPage.",
        max: 100,
        answer: BareArray { default_per_page: 100 }
    }
    /// Up to 1000 per page of a bare array, 1000 by default (completions).
    PerPage1000Bare {
        page: "Page number for pagination (default 1).",
        per_page: "Number of results per page (1-1000, default 1000). Thrive answers with a bare array; the last page is the first one shorter than perPage.",
        max: 1000,
        answer: BareArray { default_per_page: 1000 }
    }
}
