//! Following pages: one page of items at a time ([`Pager`]), or all of them
//! collected into one answer for `returnAll`.

use super::send::send_raw;
use crate::api::{ApiResponse, Context, Origin, Prepared, Progress};
use crate::error::{Error, ErrorCode, Result};
use crate::wire::{Paging, RawResponse};
use serde_json::{Map, Value, json};

/// Pages beyond this many are never fetched in one step, whatever the
/// server says: a guard against a server that never reports an end.
const MAX_PAGES: u32 = 100_000;

/// One page taken apart: what [`Pager::next_page_with`]'s reader returns.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct PageParts {
    /// The page's items.
    pub items: Vec<Value>,
    /// Its `pagination` object, when it has one (`totalPages` and
    /// `totalResults` are read from it).
    pub pagination: Option<Value>,
    /// The rest of its envelope (kept from the first page for `returnAll`).
    pub rest: Option<Map<String, Value>>,
}

impl PageParts {
    /// A page body as Thrive sends it: a bare array, or
    /// `{results, pagination, ...}`; anything else has no items.
    pub fn of_body(body: Value) -> Self {
        match body {
            Value::Array(items) => Self {
                items,
                ..Self::default()
            },
            Value::Object(mut map) => {
                let items = match map.remove("results") {
                    Some(Value::Array(items)) => items,
                    _ => Vec::new(),
                };
                let pagination = map.remove("pagination");
                Self {
                    items,
                    pagination,
                    rest: Some(map),
                }
            }
            _ => Self::default(),
        }
    }
}

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

    /// The pagination of a `returnAll` answer that holds all `count` items
    /// fetched: one page, with the server's total when it reported one.
    pub fn single_page_pagination(&self, count: u64) -> Value {
        json!({
            "totalResults": self.total_results.unwrap_or(count),
            "totalPages": 1,
            "page": 1,
            "perPage": count,
        })
    }

    /// The total number of results the server reported, once known.
    pub fn total_results(&self) -> Option<u64> {
        self.total_results
    }

    /// The next page of items, or `None` after the last one.
    pub async fn next_page(&mut self) -> Option<Result<Vec<Value>>> {
        self.next_page_with(|raw| Ok(PageParts::of_body(raw.parse().body)))
            .await
    }

    /// The next page of items read as `I`, or `None` after the last one.
    /// An item that does not read as `I` is an `invalid_response`.
    pub async fn next_page_as<I: serde::de::DeserializeOwned>(&mut self) -> Option<Result<Vec<I>>> {
        let page = self.next_page().await?;
        Some(page.and_then(|items| {
            items
                .into_iter()
                .map(|item| {
                    I::deserialize(item).map_err(|e| {
                        crate::Error::new(
                            crate::ErrorCode::InvalidResponse,
                            format!("an item of the page could not be read: {e}"),
                        )
                    })
                })
                .collect()
        }))
    }

    /// [`Pager::next_page`], with each page's answer taken apart by `read`
    /// instead of parsed as a body: a host that wants the tool's output
    /// shape reads the page with the tool's output reader, straight from
    /// the bytes, and hands back its items and pagination.
    pub async fn next_page_with(
        &mut self,
        read: impl FnOnce(RawResponse) -> Result<PageParts>,
    ) -> Option<Result<Vec<Value>>> {
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
        let parts =
            match send_raw(&self.ctx, &self.origin, &self.prepared.connection, &request).await {
                Ok(raw) => read(raw),
                Err(e) => Err(e),
            };
        let PageParts {
            mut items,
            pagination,
            rest,
        } = match parts {
            Ok(parts) => parts,
            Err(e) => {
                self.done = true;
                return Some(Err(e));
            }
        };
        if self.first_body.is_none() {
            self.first_body = rest;
        }
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
            map.insert("pagination".into(), pager.single_page_pagination(count));
            Value::Object(map)
        }
    };
    Ok(ApiResponse::new(200, body))
}
