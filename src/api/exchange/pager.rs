//! Following pages: one page of items at a time ([`Pager`]), or all of them
//! collected into one answer for `returnAll`.

use super::send::send;
use crate::api::{ApiResponse, Context, Origin, Prepared, Progress};
use crate::error::{Error, ErrorCode, Result};
use crate::wire::Paging;
use serde_json::{Map, Value, json};

/// Pages beyond this many are never fetched in one step, whatever the
/// server says: a guard against a server that never reports an end.
const MAX_PAGES: u32 = 100_000;

/// Follows pages of a paginated tool, yielding one page of items at a time
/// without holding earlier pages. Build one with [`Pager::new`].
pub struct Pager {
    ctx: Context,
    origin: Origin,
    prepared: Prepared,
    page: u32,
    per_page: u32,
    total_pages: Option<u32>,
    total_results: Option<u64>,
    yielded: u64,
    limit: Option<u64>,
    done: bool,
    first_body: Option<Map<String, Value>>,
}

impl Pager {
    /// A pager for a prepared, paginated step. Fails with `host_not_allowed`
    /// before any call if the host is refused.
    pub fn new(ctx: &Context, prepared: Prepared) -> Result<Self> {
        let origin = ctx.hosts().resolve(prepared.connection.host.as_deref())?;
        let max_per_page = match prepared.tool.paging {
            Paging::Envelope { max_per_page } | Paging::BareArray { max_per_page, .. } => {
                max_per_page
            }
            Paging::None => {
                return Err(Error::new(
                    ErrorCode::InvalidInput,
                    format!("{} is not paginated", prepared.tool.id),
                ));
            }
        };
        let page = prepared
            .request
            .query_value("page")
            .and_then(|p| p.parse().ok())
            .unwrap_or(1);
        let per_page = prepared
            .request
            .query_value("perPage")
            .and_then(|p| p.parse().ok())
            .unwrap_or(max_per_page);
        let limit = prepared.paging.max_results;
        Ok(Self {
            ctx: ctx.clone(),
            origin,
            prepared,
            page,
            per_page,
            total_pages: None,
            total_results: None,
            yielded: 0,
            limit,
            done: false,
            first_body: None,
        })
    }

    /// The total number of results the server reported, once known.
    pub fn total_results(&self) -> Option<u64> {
        self.total_results
    }

    /// The next page of items, or `None` after the last one.
    pub async fn next_page(&mut self) -> Option<Result<Vec<Value>>> {
        if self.done {
            return None;
        }
        let mut request = self.prepared.request.clone();
        if request.query_value("page").is_none() {
            // Keep Thrive's documented order: page just before perPage.
            let at = request
                .query
                .iter()
                .position(|(k, _)| k == "perPage")
                .unwrap_or(request.query.len());
            request.query.insert(at, ("page".to_owned(), String::new()));
        }
        request.set_query("page", self.page);
        request.set_query("perPage", self.per_page);
        let response =
            match send(&self.ctx, &self.origin, &self.prepared.connection, &request).await {
                Ok(r) => r,
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            };
        let (mut items, pagination) = match response.body {
            Value::Array(items) => (items, None),
            Value::Object(mut map) => {
                let items = match map.remove("results") {
                    Some(Value::Array(items)) => items,
                    _ => Vec::new(),
                };
                let pagination = map.get("pagination").cloned();
                if self.first_body.is_none() {
                    map.remove("pagination");
                    self.first_body = Some(map);
                }
                (items, pagination)
            }
            _ => (Vec::new(), None),
        };
        if let Some(p) = pagination.as_ref() {
            self.total_pages = p
                .get("totalPages")
                .and_then(Value::as_u64)
                .map(|n| n.min(u64::from(MAX_PAGES)) as u32);
            self.total_results = p.get("totalResults").and_then(Value::as_u64);
        }
        let short = items.len() < self.per_page as usize;
        // A bare page larger than perPage means the server does not page
        // (the paging of /tags is disputed): this page is everything.
        let unpaged = pagination.is_none() && items.len() > self.per_page as usize;
        if let Some(limit) = self.limit {
            let room = limit.saturating_sub(self.yielded) as usize;
            if items.len() >= room {
                items.truncate(room);
                self.done = true;
            }
        }
        self.yielded += items.len() as u64;
        let last = match self.total_pages {
            Some(total) => self.page >= total,
            None => short || unpaged,
        };
        if last || items.is_empty() || self.page >= MAX_PAGES {
            self.done = true;
        }
        self.page += 1;
        self.ctx.report(Progress {
            done: self.yielded,
            total: self
                .total_results
                .map(|t| self.limit.map_or(t, |l| l.min(t))),
        });
        Some(Ok(items))
    }
}

/// Fetches every page and answers as if the first page held them all.
pub(super) async fn collect_all(ctx: &Context, prepared: &Prepared) -> Result<ApiResponse> {
    let mut pager = Pager::new(ctx, prepared.clone())?;
    let mut all = Vec::new();
    while let Some(page) = pager.next_page().await {
        all.extend(page?);
    }
    let count = all.len() as u64;
    let body = match prepared.tool.paging {
        Paging::BareArray { .. } => Value::Array(all),
        _ => {
            let mut map = pager.first_body.take().unwrap_or_default();
            map.insert("results".into(), Value::Array(all));
            map.insert(
                "pagination".into(),
                json!({
                    "totalResults": pager.total_results.unwrap_or(count),
                    "totalPages": 1,
                    "page": 1,
                    "perPage": count,
                }),
            );
            Value::Object(map)
        }
    };
    Ok(ApiResponse::new(200, body))
}
