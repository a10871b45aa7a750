//! The `page` and `perPage` inputs of paged endpoints, one plain struct per
//! limit and wording, flattened into each list tool's params
//! (`#[serde(flatten)] pub paging: PerPage1000`). The generated schema is
//! the same as with the two fields written inline. Each states, as
//! `PAGING`, how the endpoints taking it page, so a tool's
//! [`Block::PAGING`](crate::block::Block::PAGING) is `PerPage1000::PAGING`
//! and the limit is written once, beside the `perPage` range it bounds.

use crate::wire::meta::Paging;
use crate::wire::request::PageInputs;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Up to 1000 per page, 100 by default (CPD, tags).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PerPage1000 {
    /// Page number for pagination (default 1).
    #[schemars(range(min = 1))]
    pub page: Option<u32>,
    /// Number of results per page (1-1000, default 100).
    #[schemars(range(min = 1, max = 1000))]
    pub per_page: Option<u32>,
}

impl PerPage1000 {
    /// How the endpoints taking these inputs page.
    pub const PAGING: Paging = Paging::Envelope { max_per_page: 1000 };
}

impl PageInputs for PerPage1000 {
    fn page(&self) -> Option<u32> {
        self.page
    }
    fn per_page(&self) -> Option<u32> {
        self.per_page
    }
}

/// Up to 1000 per page, 20 by default (content, activities).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PerPage1000By20 {
    /// Page number for pagination (default 1).
    #[schemars(range(min = 1))]
    pub page: Option<u32>,
    /// Number of results per page (1-1000, default 20).
    #[schemars(range(min = 1, max = 1000))]
    pub per_page: Option<u32>,
}

impl PerPage1000By20 {
    /// How the endpoints taking these inputs page.
    pub const PAGING: Paging = Paging::Envelope { max_per_page: 1000 };
}

impl PageInputs for PerPage1000By20 {
    fn page(&self) -> Option<u32> {
        self.page
    }
    fn per_page(&self) -> Option<u32> {
        self.per_page
    }
}

/// Up to 1000 per page, 100 by default, worded as whole numbers (users, audiences).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PerPage1000Whole {
    /// Page number for pagination (default 1). A whole number, at least 1.
    #[schemars(range(min = 1))]
    pub page: Option<u32>,
    /// Number of results per page (1-1000, default 100). A whole number.
    #[schemars(range(min = 1, max = 1000))]
    pub per_page: Option<u32>,
}

impl PerPage1000Whole {
    /// How the endpoints taking these inputs page.
    pub const PAGING: Paging = Paging::Envelope { max_per_page: 1000 };
}

impl PageInputs for PerPage1000Whole {
    fn page(&self) -> Option<u32> {
        self.page
    }
    fn per_page(&self) -> Option<u32> {
        self.per_page
    }
}

/// Up to 1000 per page, 100 by default, 1-based pages (audience members).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PerPage1000OneBased {
    /// Page number for pagination (default 1). 1-based.
    #[schemars(range(min = 1))]
    pub page: Option<u32>,
    /// Number of results per page (1-1000, default 100).
    #[schemars(range(min = 1, max = 1000))]
    pub per_page: Option<u32>,
}

impl PerPage1000OneBased {
    /// How the endpoints taking these inputs page.
    pub const PAGING: Paging = Paging::Envelope { max_per_page: 1000 };
}

impl PageInputs for PerPage1000OneBased {
    fn page(&self) -> Option<u32> {
        self.page
    }
    fn per_page(&self) -> Option<u32> {
        self.per_page
    }
}

/// Up to 100 per page of a bare array (assignments, enrolments).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PerPage100Bare {
    /// Page number for pagination (default 1).
    #[schemars(range(min = 1))]
    pub page: Option<u32>,
    /// Number of results per page (1-100, default 100). Thrive answers with a bare array; the last page is the first one shorter than perPage.
    #[schemars(range(min = 1, max = 100))]
    pub per_page: Option<u32>,
}

impl PerPage100Bare {
    /// How the endpoints taking these inputs page.
    pub const PAGING: Paging = Paging::BareArray {
        max_per_page: 100,
        default_per_page: 100,
    };
}

impl PageInputs for PerPage100Bare {
    fn page(&self) -> Option<u32> {
        self.page
    }
    fn per_page(&self) -> Option<u32> {
        self.per_page
    }
}

/// Up to 1000 per page of a bare array, 1000 by default (completions).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PerPage1000Bare {
    /// Page number for pagination (default 1).
    #[schemars(range(min = 1))]
    pub page: Option<u32>,
    /// Number of results per page (1-1000, default 1000). Thrive answers with a bare array; the last page is the first one shorter than perPage.
    #[schemars(range(min = 1, max = 1000))]
    pub per_page: Option<u32>,
}

impl PerPage1000Bare {
    /// How the endpoints taking these inputs page.
    pub const PAGING: Paging = Paging::BareArray {
        max_per_page: 1000,
        default_per_page: 1000,
    };
}

impl PageInputs for PerPage1000Bare {
    fn page(&self) -> Option<u32> {
        self.page
    }
    fn per_page(&self) -> Option<u32> {
        self.per_page
    }
}
