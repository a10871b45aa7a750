//! The typed execution path: run a [`Tool`] by its type, with typed params
//! and a typed output.
//!
//! ```no_run
//! use thrive_blocks::call::call;
//! use thrive_blocks::params::{Connection, Required};
//! use thrive_blocks::thrive::tags::{GetTag, GetTagParams};
//! use thrive_blocks::Context;
//!
//! # async fn demo() -> Result<(), thrive_blocks::Error> {
//! let ctx = Context::from_env();
//! let connection = Connection::basic("eu-west-2_AbcdEfghI", "api-key");
//! let params = GetTagParams { tag_id: Required::new("64b6f4a8c2e4a1b9d3f2c4b0") };
//! let tag = call::<GetTag>(&ctx, &connection, &params).await?;
//! println!("{:?}", tag.tag);
//! # Ok(()) }
//! ```
//!
//! This is the one way a tool runs. The JSON door for hosts,
//! [`Catalogue::execute`](crate::Catalogue::execute), checks the input
//! against the tool's schema, reads the params once and comes here; the
//! composite tools, the member sync and the polling triggers call their
//! tools here directly, by type.
//!
//! What is checked here: the connection, the tool's own checks
//! ([`Block::validate`](crate::block::Block::validate)) and what building the request finds. What the
//! JSON Schema states (required fields, patterns, [`Block::RULES`](crate::block::Block::RULES)) is the
//! JSON door's check: typed params are built by code, whose types already
//! hold most of it.

mod erased;

pub use erased::{BoxFuture, DynTool, Erased};
pub(crate) use erased::{check_rules, read_params, to_json};

use crate::api::exchange::{self, Answer};
use crate::api::{ApiRequest, Context, Pager, Prepared};
use crate::block::meta_of;
use crate::error::{Error, Result, Violation};
use crate::params::{Connection, PagingOptions};
use crate::tool::Tool;
use std::time::Instant;

/// Runs `T` once with `params` for `connection`: one call (or, for a tool
/// that batches, one call per chunk). A paginated tool reads one page.
pub async fn call<T: Tool>(
    ctx: &Context,
    connection: &Connection,
    params: &T::Params,
) -> Result<T::Output> {
    let prepared = prepare::<T>(connection, params, PagingOptions::default())?;
    send::<T>(ctx, &prepared).await
}

/// Runs a paginated `T` and gathers every page into one output (what
/// `returnAll: true` does through the JSON door).
pub async fn call_all<T: Tool>(
    ctx: &Context,
    connection: &Connection,
    params: &T::Params,
) -> Result<T::Output> {
    let paging = PagingOptions {
        return_all: Some(true),
        ..PagingOptions::default()
    };
    let prepared = prepare::<T>(connection, params, paging)?;
    send::<T>(ctx, &prepared).await
}

/// A [`Pager`] over a paginated `T`'s items, page by page, without holding
/// them all. Nothing is sent until the first [`Pager::next_page`].
pub fn pages<T: Tool>(ctx: &Context, connection: &Connection, params: &T::Params) -> Result<Pager> {
    let prepared = prepare::<T>(connection, params, PagingOptions::default())?;
    Pager::new(ctx, prepared)
}

/// Checks `params` for `connection` and builds the step: every problem at
/// once, or what to send.
pub fn prepare<T: Tool>(
    connection: &Connection,
    params: &T::Params,
    paging: PagingOptions,
) -> Result<Prepared> {
    let mut problems = Vec::new();
    connection.check(&mut problems);
    let request = checked_request::<T>(params, problems).map_err(Error::invalid_input)?;
    Ok(Prepared {
        tool: meta_of::<T>(),
        connection: connection.clone(),
        paging,
        request,
    })
}

/// Runs [`Block::validate`] after the `problems` found so far and builds
/// the request: the request, or every problem together (the checks'
/// first, then what building found, each once; a build error that names no
/// field is reported under the empty pointer).
pub(crate) fn checked_request<T: Tool>(
    params: &T::Params,
    mut problems: Vec<Violation>,
) -> std::result::Result<ApiRequest, Vec<Violation>> {
    T::validate(params, &mut problems);
    with_problems(T::request(params), problems)
}

/// The built request when no check found a problem; else every problem
/// together: the checks' first, then what building found, each once (a
/// build error that names no field is reported under the empty pointer).
pub(crate) fn with_problems(
    built: Result<ApiRequest>,
    mut problems: Vec<Violation>,
) -> std::result::Result<ApiRequest, Vec<Violation>> {
    match built {
        Ok(request) if problems.is_empty() => Ok(request),
        Ok(_) => Err(problems),
        Err(e) => {
            let mut found = e.violations();
            if found.is_empty() {
                found.push(Violation::new("", e.message().to_owned()));
            }
            for v in found {
                if !problems.contains(&v) {
                    problems.push(v);
                }
            }
            Err(problems)
        }
    }
}

/// Sends a prepared step of `T` and reads the answer as `T`'s output: a
/// single call's body straight from its bytes, pages and chunks after the
/// runtime merged them. A failure goes through [`Tool::recover`].
pub async fn send<T: Tool>(ctx: &Context, prepared: &Prepared) -> Result<T::Output> {
    let started = Instant::now();
    match exchange::run_raw(ctx, prepared).await {
        Ok(Answer::Raw(raw)) => T::output_raw(raw),
        Ok(Answer::Parsed(response)) => T::output(response),
        Err(e) => {
            let meta = exchange::failure_meta(ctx, prepared, &e, started);
            T::recover(e, &meta)
        }
    }
}
