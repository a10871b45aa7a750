//! `returnAll` in the tool's output shape: every page is read straight from
//! its bytes by the tool's own output reader, and the items are gathered
//! into the first page's output.
//!
//! The runtime's own `returnAll` ([`crate::api::exchange::run`]) merges the
//! parsed bodies and leaves the typed mapping to the end, which reads every
//! item twice more (into the typed output, then back to JSON). Here each item
//! is read once, as the page arrives. The output is the same: the first
//! page's output with its list holding every item and, for envelopes, a
//! pagination of one page holding them all.
//!
//! One difference, chosen on purpose: each page's `pagination` object is
//! read by the output's types, so a page whose pagination fields are not of
//! the documented types (`totalResults` as text, say) is an
//! `invalid_response` at that page. The parsed merge replaced the first
//! page's pagination and never looked at it; reporting a malformed answer
//! is what a careful client does, and no further pages are fetched.

use super::tool::CatalogueTool;
use crate::api::{Context, PageParts, Pager, Prepared};
use crate::error::{Error, ErrorCode, Result};
use crate::wire::Paging;
use serde_json::{Map, Value};

/// Where a page's items sit in the tool's output.
#[derive(Debug, Clone, Copy)]
enum List<'a> {
    /// `{results, pagination}`, as Thrive's envelope.
    Envelope,
    /// The one field of an output that wraps a bare array.
    Field(&'a str),
}

impl<'a> List<'a> {
    /// The list's place for `tool`, or `None` when its output does not have
    /// the shape this path knows (the runtime's own merge serves it then).
    fn of(tool: &'a CatalogueTool) -> Option<Self> {
        let props = tool
            .output_schema()
            .get("properties")
            .and_then(Value::as_object)?;
        match tool.meta().paging {
            Paging::Envelope { .. } if props.contains_key("results") => Some(Self::Envelope),
            Paging::BareArray { .. } if props.len() == 1 => {
                props.keys().next().map(|k| Self::Field(k))
            }
            _ => None,
        }
    }

    fn key(self) -> &'a str {
        match self {
            Self::Envelope => "results",
            Self::Field(name) => name,
        }
    }
}

/// Every page of a prepared `returnAll` step, as the tool's output; `None`
/// when the tool's output has a shape this path does not handle.
pub(super) async fn all_pages(
    ctx: &Context,
    prepared: &Prepared,
    tool: &CatalogueTool,
) -> Option<Result<Value>> {
    let list = List::of(tool)?;
    Some(collect(ctx, prepared, tool, list).await)
}

async fn collect(
    ctx: &Context,
    prepared: &Prepared,
    tool: &CatalogueTool,
    list: List<'_>,
) -> Result<Value> {
    let mut pager = Pager::new(ctx, prepared.clone())?;
    let mut first: Option<Map<String, Value>> = None;
    let mut all = Vec::new();
    loop {
        let page = pager
            .next_page_with(|raw| {
                let Value::Object(mut output) = tool.output_raw(raw)? else {
                    return Err(not_a_list(tool));
                };
                let items = match output.get_mut(list.key()).map(Value::take) {
                    Some(Value::Array(items)) => items,
                    _ => Vec::new(),
                };
                // The typed output writes a missing pagination as `null`;
                // either way the page says nothing about the pages left.
                let pagination = match list {
                    List::Envelope => output.get("pagination").filter(|p| !p.is_null()).cloned(),
                    List::Field(_) => None,
                };
                if first.is_none() {
                    first = Some(output);
                }
                Ok(PageParts {
                    items,
                    pagination,
                    rest: None,
                })
            })
            .await;
        match page {
            Some(items) => all.extend(items?),
            None => break,
        }
    }
    let mut output = first.ok_or_else(|| not_a_list(tool))?;
    let count = all.len() as u64;
    if let List::Envelope = list {
        output.insert("pagination".into(), pager.single_page_pagination(count));
    }
    output.insert(list.key().into(), Value::Array(all));
    Ok(Value::Object(output))
}

fn not_a_list(tool: &CatalogueTool) -> Error {
    Error::new(
        ErrorCode::InvalidResponse,
        format!("{}: a page's output is not an object", tool.meta().id),
    )
}
