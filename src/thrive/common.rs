//! Output pieces shared by many operations: the pagination object, the
//! bulk add/replace result, `{success}` and `{status, message}` answers, and
//! the small helpers that read them from a response.

use crate::api::ApiResponse;
use crate::error::Result;
use crate::wire::record::record;
use crate::wire::{FromResponse, RawResponse};
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Number;
use serde_json::Value;

pub use crate::wire::record::Extra;

record! {
    /// The pagination object of `{results, pagination}` envelopes.
    #[derive(Default)]
    pub struct Pagination {
        /// Total number of results matching the query.
        pub total_results: Option<u64>,
        /// Total number of pages available.
        pub total_pages: Option<u64>,
        /// Current page number (1-based).
        pub page: Option<u64>,
        /// Number of results per page.
        pub per_page: Option<u64>,
    }
}

/// A page of results: `{results, pagination}`. `results` is `[]` and
/// `pagination` is `null` when Thrive leaves them out.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Page<T> {
    /// The matching items.
    pub results: Vec<T>,
    /// Pagination details (`null` when the endpoint sends none).
    pub pagination: Option<Pagination>,
}

/// The envelope as Thrive sends it: either part may be missing.
#[derive(Deserialize)]
struct Envelope<T> {
    #[serde(default = "Vec::new")]
    results: Vec<T>,
    #[serde(default)]
    pagination: Option<Pagination>,
}

impl<T> From<Envelope<T>> for Page<T> {
    fn from(raw: Envelope<T>) -> Self {
        Self {
            results: raw.results,
            pagination: raw.pagination,
        }
    }
}

/// Reads `{results, pagination}` from a response.
impl<T: DeserializeOwned> FromResponse for Page<T> {
    fn from_response(response: ApiResponse) -> Result<Self> {
        if response.body.is_null() {
            return Ok(Self {
                results: Vec::new(),
                pagination: None,
            });
        }
        Ok(response.json::<Envelope<T>>()?.into())
    }

    fn from_raw(raw: RawResponse) -> Result<Self> {
        if raw.is_blank() {
            return Ok(Self {
                results: Vec::new(),
                pagination: None,
            });
        }
        // Thrive's `null` body and anything the direct read refuses take
        // the parsed path.
        raw.read_or(Envelope::<T>::into, Self::from_response)
    }
}

pub use crate::wire::read::{bare_array, object};

record! {
    /// One entity in a bulk result.
    pub struct BulkEntity {
        /// The entity reference, echoed as it was sent (email, ref or id).
        pub reference: Option<String>,
        /// Why the entity could not be processed (failures only).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub reason: Option<String>,
    }
}

record! {
    /// A count and the entities it counts.
    pub struct BulkGroup {
        /// Number of entities.
        pub count: Option<Number>,
        /// The entities.
        #[serde(default)]
        pub entities: Vec<BulkEntity>,
    }
}

record! {
    /// The add/replace result: what succeeded and, on a partial success, what failed.
    pub struct BulkResult {
        /// Successfully processed entities (`null` if Thrive sent none).
        pub success: Option<BulkGroup>,
        /// Unsuccessfully processed entities; left out when everything succeeded.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub failure: Option<BulkGroup>,
    }
}

/// Output of the add/replace members and managers tools.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct BulkOutput {
    /// The add/replace result, with successfully and unsuccessfully processed entities.
    pub result: BulkResult,
    /// True when Thrive reported a partial success (HTTP 207): some entities
    /// failed and are listed in `result.failure`. Branch on this.
    pub partial: bool,
}

/// Reads the 200/207 envelope.
impl FromResponse for BulkOutput {
    fn from_response(response: ApiResponse) -> Result<Self> {
        let partial = response.is_partial();
        let result: BulkResult = if response.body.is_null() {
            BulkResult {
                success: None,
                failure: None,
                extra: Extra::new(),
            }
        } else {
            response.json()?
        };
        let partial = partial
            || result
                .failure
                .as_ref()
                .is_some_and(|f| !f.entities.is_empty());
        Ok(Self { result, partial })
    }
}

/// Output of delete and remove tools.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct SuccessOutput {
    /// Whether the operation succeeded (`true` when Thrive answers 2xx with
    /// an empty body).
    pub success: bool,
    /// Other fields of Thrive's answer, passed through.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `body.success` if present, else `true` (any 2xx means success).
impl FromResponse for SuccessOutput {
    fn from_response(response: ApiResponse) -> Result<Self> {
        let success = response
            .body
            .get("success")
            .and_then(Value::as_bool)
            .unwrap_or(true);
        let mut extra = match response.body {
            Value::Object(map) => map,
            _ => Extra::new(),
        };
        extra.remove("success");
        Ok(Self { success, extra })
    }
}

/// Output of the tag and skill mutations: `{status, message}`.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct MessageOutput {
    /// The HTTP status code of the operation.
    pub status: Option<Number>,
    /// A human-readable result message, e.g. "2 tag(s) added successfully to the learner."
    pub message: Option<String>,
    /// Other fields of Thrive's answer, passed through.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Reads `{status, message}`, each `null` when absent.
impl FromResponse for MessageOutput {
    fn from_response(response: ApiResponse) -> Result<Self> {
        let mut extra = match response.body {
            Value::Object(map) => map,
            _ => Extra::new(),
        };
        let status = extra.remove("status").and_then(|v| match v {
            Value::Number(n) => Some(n),
            _ => None,
        });
        let message = extra
            .remove("message")
            .and_then(|v| v.as_str().map(str::to_owned));
        Ok(Self {
            status,
            message,
            extra,
        })
    }
}
