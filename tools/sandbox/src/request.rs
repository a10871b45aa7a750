//! Request parsing shared by every route: path and query extraction with
//! Thrive-shaped errors, JSON bodies and pagination (the readers of single
//! body fields are in `fields`).
//!
//! Choices for undocumented behaviour (behaviour.md §4):
//! - unknown query parameters are ignored;
//! - a documented parameter given twice is a 400;
//! - a parameter with an empty value counts as absent (clients such as Sim
//!   leave empty values out anyway);
//! - `perPage`/`page` that are not integers or lie outside the documented range
//!   are a 400 (no clamping);
//! - request bodies are parsed as JSON whatever the `Content-Type` says.

use axum::body::Bytes;
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

use crate::error::ApiError;
use crate::fields::check_item_count;
use crate::time::{self, Millis, ParsedTime};

/// Path parameters, percent-decoded by axum, with a Thrive 400 on failure.
pub(crate) struct PathParams<T>(pub T);

impl<T, S> FromRequestParts<S> for PathParams<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(PathParams(value)),
            Err(rejection) => Err(ApiError::bad_request(rejection.body_text())),
        }
    }
}

/// Decodes `%XX` escapes (and `+` as a space when `plus_is_space`).
/// Invalid escapes are kept as they are; invalid UTF-8 is replaced.
pub(crate) fn percent_decode(input: &str, plus_is_space: bool) -> String {
    let bytes = input.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hi = (bytes[i + 1] as char).to_digit(16);
                let lo = (bytes[i + 2] as char).to_digit(16);
                match (hi, lo) {
                    (Some(h), Some(l)) => {
                        out.push(u8::try_from(h * 16 + l).unwrap_or(b'?'));
                        i += 3;
                    }
                    _ => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Parses `a=1&b=2` (query strings and form bodies).
pub(crate) fn parse_pairs(raw: &str) -> Vec<(String, String)> {
    raw.split('&')
        .filter(|part| !part.is_empty())
        .map(|part| match part.split_once('=') {
            Some((k, v)) => (percent_decode(k, true), percent_decode(v, true)),
            None => (percent_decode(part, true), String::new()),
        })
        .collect()
}

/// The query string as name/value pairs.
#[derive(Clone, Debug, Default)]
pub(crate) struct QueryParams {
    pairs: Vec<(String, String)>,
}

impl<S: Send + Sync> FromRequestParts<S> for QueryParams {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(QueryParams::parse(parts.uri.query().unwrap_or("")))
    }
}

impl QueryParams {
    /// Parses a raw query string.
    pub(crate) fn parse(raw: &str) -> Self {
        QueryParams {
            pairs: parse_pairs(raw),
        }
    }

    /// The value of `name`: `None` when absent or empty, 400 when repeated.
    pub(crate) fn get(&self, name: &str) -> Result<Option<&str>, ApiError> {
        let mut found: Option<&str> = None;
        let mut count = 0;
        for (k, v) in &self.pairs {
            if k == name {
                count += 1;
                found = Some(v.as_str());
            }
        }
        if count > 1 {
            return Err(ApiError::bad_request(format!(
                "{name} must not be repeated; send one comma-separated value"
            )));
        }
        Ok(found.map(str::trim).filter(|v| !v.is_empty()))
    }

    /// An integer parameter.
    pub(crate) fn int(&self, name: &str) -> Result<Option<i64>, ApiError> {
        match self.get(name)? {
            None => Ok(None),
            Some(v) => v
                .parse::<i64>()
                .map(Some)
                .map_err(|_| ApiError::bad_request(format!("{name} must be an integer"))),
        }
    }

    /// A `true`/`false` parameter.
    pub(crate) fn boolean(&self, name: &str) -> Result<Option<bool>, ApiError> {
        match self.get(name)? {
            None => Ok(None),
            Some(v) if v.eq_ignore_ascii_case("true") => Ok(Some(true)),
            Some(v) if v.eq_ignore_ascii_case("false") => Ok(Some(false)),
            Some(_) => Err(ApiError::bad_request(format!(
                "{name} must be a boolean (true or false)"
            ))),
        }
    }

    /// A comma-separated list; empty items are dropped.
    pub(crate) fn list(&self, name: &str) -> Result<Option<Vec<String>>, ApiError> {
        Ok(self.get(name)?.map(|v| {
            v.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        }))
    }

    /// A comma-separated list whose items must come from `allowed`.
    pub(crate) fn enum_list(
        &self,
        name: &str,
        allowed: &[&str],
    ) -> Result<Option<Vec<String>>, ApiError> {
        let Some(items) = self.list(name)? else {
            return Ok(None);
        };
        for item in &items {
            if !allowed.contains(&item.as_str()) {
                return Err(ApiError::bad_request(format!(
                    "{name} contains an invalid value `{item}`; allowed: {}",
                    allowed.join(", ")
                )));
            }
        }
        Ok(Some(items))
    }

    /// A date/time parameter read with `parser`; `format` names the expected
    /// form in the 400 message.
    pub(crate) fn time_with(
        &self,
        name: &str,
        parser: fn(&str) -> Option<ParsedTime>,
        format: &str,
    ) -> Result<Option<ParsedTime>, ApiError> {
        match self.get(name)? {
            None => Ok(None),
            Some(v) => parser(v).map(Some).ok_or_else(|| {
                ApiError::bad_request(format!(
                    "{name} must be a valid date in the format {format}"
                ))
            }),
        }
    }

    /// An ISO 8601 date or date-time parameter (`updatedSince` and friends).
    pub(crate) fn iso(&self, name: &str) -> Result<Option<ParsedTime>, ApiError> {
        self.time_with(
            name,
            time::parse_iso,
            "ISO 8601 (e.g. 2024-01-01T00:00:00Z)",
        )
    }

    /// `updatedSince`, as an inclusive lower bound.
    pub(crate) fn updated_since(&self) -> Result<Option<Millis>, ApiError> {
        Ok(self.iso("updatedSince")?.map(|p| p.millis))
    }

    /// `page` and `perPage` (and `limit` where the docs describe it).
    pub(crate) fn paging(&self, spec: PageSpec) -> Result<Paging, ApiError> {
        let page = match self.int("page")? {
            None => 1,
            Some(p) if p < 1 => return Err(ApiError::bad_request("page must not be less than 1")),
            Some(p) => p,
        };
        let per_page = match self.int("perPage")? {
            Some(n) => check_range("perPage", n, 1, spec.max)?,
            None => match (spec.limit_alias, self.int("limit")?) {
                (true, Some(n)) => check_range("limit", n, 1, 100)?,
                _ => spec.default,
            },
        };
        Ok(Paging {
            page: usize::try_from(page).unwrap_or(usize::MAX),
            per_page: usize::try_from(per_page).unwrap_or(1),
        })
    }
}

fn check_range(name: &str, value: i64, min: i64, max: i64) -> Result<i64, ApiError> {
    if value < min {
        Err(ApiError::bad_request(format!(
            "{name} must not be less than {min}"
        )))
    } else if value > max {
        Err(ApiError::bad_request(format!(
            "{name} must not be greater than {max}"
        )))
    } else {
        Ok(value)
    }
}

/// The documented page-size rule of one list endpoint (behaviour.md §8).
#[derive(Clone, Copy, Debug)]
pub(crate) struct PageSpec {
    /// Largest accepted `perPage`.
    pub max: i64,
    /// `perPage` when none is given.
    pub default: i64,
    /// Whether `limit` (1–100) is accepted as an alias; `perPage` wins.
    pub limit_alias: bool,
}

impl PageSpec {
    /// 1–1000, default 100.
    pub(crate) const STANDARD: PageSpec = PageSpec {
        max: 1000,
        default: 100,
        limit_alias: false,
    };
    /// 1–1000, default 100, plus `limit`.
    pub(crate) const STANDARD_WITH_LIMIT: PageSpec = PageSpec {
        max: 1000,
        default: 100,
        limit_alias: true,
    };
    /// 1–100, default 100.
    pub(crate) const SMALL: PageSpec = PageSpec {
        max: 100,
        default: 100,
        limit_alias: false,
    };
    /// 1–100, default 100, plus `limit` (assignments).
    pub(crate) const SMALL_WITH_LIMIT: PageSpec = PageSpec {
        max: 100,
        default: 100,
        limit_alias: true,
    };
    /// 1–1000, default 20 (content and activities).
    pub(crate) const TWENTY: PageSpec = PageSpec {
        max: 1000,
        default: 20,
        limit_alias: false,
    };
    /// 1–1000, default 1000 (completions).
    pub(crate) const THOUSAND: PageSpec = PageSpec {
        max: 1000,
        default: 1000,
        limit_alias: false,
    };
}

/// The effective page (1-based) and page size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Paging {
    /// 1-based page number.
    pub page: usize,
    /// Items per page.
    pub per_page: usize,
}

impl Paging {
    /// The items of this page. A page past the end is empty.
    pub(crate) fn slice<T>(&self, items: Vec<T>) -> Vec<T> {
        let start = (self.page - 1).saturating_mul(self.per_page);
        items.into_iter().skip(start).take(self.per_page).collect()
    }

    /// `{results, pagination}` for `total` matches of which `results` is this
    /// page. `totalPages` is `ceil(total / perPage)`, 0 when there are none.
    pub(crate) fn envelope(&self, results: Vec<Value>, total: usize) -> Value {
        let total_pages = total.div_ceil(self.per_page);
        json!({
            "results": results,
            "pagination": {
                "totalResults": total,
                "totalPages": total_pages,
                "page": self.page,
                "perPage": self.per_page,
            }
        })
    }

    /// Slices `items`, renders each with `render` and wraps the envelope.
    pub(crate) fn page_of<T>(&self, items: Vec<T>, render: impl Fn(T) -> Value) -> Value {
        let total = items.len();
        let results = self.slice(items).into_iter().map(render).collect();
        self.envelope(results, total)
    }
}

/// The body parsed as JSON. An empty body is a 400.
pub(crate) fn json_body(bytes: &Bytes) -> Result<Value, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::bad_request("A JSON request body is required"));
    }
    serde_json::from_slice(bytes)
        .map_err(|e| ApiError::bad_request(format!("Malformed JSON body: {e}")))
}

/// The body as a JSON object (400 otherwise).
pub(crate) fn json_object(bytes: &Bytes) -> Result<Map<String, Value>, ApiError> {
    match json_body(bytes)? {
        Value::Object(map) => Ok(map),
        _ => Err(ApiError::bad_request(
            "The request body must be a JSON object",
        )),
    }
}

/// The body as a JSON array of 1–100 items (400 otherwise).
pub(crate) fn json_array(bytes: &Bytes, what: &str) -> Result<Vec<Value>, ApiError> {
    match json_body(bytes)? {
        Value::Array(items) => {
            check_item_count(items.len(), what)?;
            Ok(items)
        }
        _ => Err(ApiError::bad_request(format!(
            "The request body must be a JSON array of {what}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_queries() {
        let q = QueryParams::parse("a=1&b=x%2Cy&c=2020-01-01+00%3A00%3A00&d=&e=%zz");
        assert_eq!(q.get("a").ok().flatten(), Some("1"));
        assert_eq!(q.get("b").ok().flatten(), Some("x,y"));
        assert_eq!(q.get("c").ok().flatten(), Some("2020-01-01 00:00:00"));
        assert_eq!(q.get("d").ok().flatten(), None);
        assert_eq!(q.get("e").ok().flatten(), Some("%zz"));
        assert!(QueryParams::parse("a=1&a=2").get("a").is_err());
        assert_eq!(percent_decode("abc%4", false), "abc%4");
        assert_eq!(percent_decode("%41%42", false), "AB");
    }

    #[test]
    fn paging_rules() {
        let p = QueryParams::parse("perPage=20&page=3");
        let paging = p.paging(PageSpec::STANDARD).expect("paging");
        assert_eq!(
            paging,
            Paging {
                page: 3,
                per_page: 20
            }
        );
        let env = paging.page_of((0..48).collect::<Vec<_>>(), |i| json!(i));
        assert_eq!(env["pagination"]["totalPages"], 3);
        assert_eq!(env["results"].as_array().map(Vec::len), Some(8));
        assert!(
            QueryParams::parse("perPage=1001")
                .paging(PageSpec::STANDARD)
                .is_err()
        );
        assert!(
            QueryParams::parse("perPage=0")
                .paging(PageSpec::STANDARD)
                .is_err()
        );
        assert!(
            QueryParams::parse("perPage=101")
                .paging(PageSpec::SMALL)
                .is_err()
        );
        assert!(
            QueryParams::parse("page=0")
                .paging(PageSpec::SMALL)
                .is_err()
        );
        let lim = QueryParams::parse("limit=7").paging(PageSpec::SMALL_WITH_LIMIT);
        assert_eq!(lim.map(|p| p.per_page).ok(), Some(7));
        let win = QueryParams::parse("limit=7&perPage=9").paging(PageSpec::SMALL_WITH_LIMIT);
        assert_eq!(win.map(|p| p.per_page).ok(), Some(9));
        let empty = Paging {
            page: 1,
            per_page: 100,
        }
        .page_of(Vec::<u8>::new(), |i| json!(i));
        assert_eq!(empty["pagination"]["totalPages"], 0);
    }
}
