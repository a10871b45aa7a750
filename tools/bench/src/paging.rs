//! `returnAll` and streaming over many users, against raw pages fetched
//! with reqwest: time, pages/s and the heap high-water mark of each.

use crate::alloc;
use crate::measure::process_cpu;
use crate::sandbox::Endpoint;
use serde::Serialize;
use serde_json::{Value, json};
use std::time::Instant;
use thrive_blocks::{Catalogue, Context};

/// Users per page for every mode (Thrive's maximum for user search).
pub const PER_PAGE: usize = 1000;

/// One way of reading every user.
#[derive(Debug, Clone, Serialize)]
pub struct PagingSample {
    /// `raw_pages`, `return_all` or `stream`.
    pub mode: &'static str,
    /// Users in the tenant.
    pub users: usize,
    /// Users read.
    pub read: usize,
    /// Pages fetched.
    pub pages: usize,
    /// Wall time, ms.
    pub ms: f64,
    /// Pages per second.
    pub pages_per_s: f64,
    /// Client CPU per user, µs.
    pub cpu_us_per_user: f64,
    /// The most heap live at once during the read, MiB.
    pub peak_heap_mib: f64,
}

fn finish(
    mode: &'static str,
    users: usize,
    read: usize,
    pages: usize,
    started: Instant,
    cpu: std::time::Duration,
) -> PagingSample {
    let secs = started.elapsed().as_secs_f64();
    PagingSample {
        mode,
        users,
        read,
        pages,
        ms: secs * 1e3,
        pages_per_s: pages as f64 / secs,
        cpu_us_per_user: (process_cpu().saturating_sub(cpu)).as_secs_f64() * 1e6
            / read.max(1) as f64,
        peak_heap_mib: alloc::peak_bytes() as f64 / 1024.0 / 1024.0,
    }
}

fn input(ep: &Endpoint, extra: Value) -> Value {
    let mut v = json!({"tenantId": ep.tenant_id, "apiKey": ep.api_key, "host": ep.base_url, "perPage": PER_PAGE});
    if let (Some(map), Value::Object(extra)) = (v.as_object_mut(), extra) {
        map.extend(extra);
    }
    v
}

/// Every user with raw reqwest page by page, collected into one `Vec`
/// (what `returnAll` returns).
pub async fn raw_pages(http: &reqwest::Client, ep: &Endpoint) -> Result<PagingSample, String> {
    alloc::reset_peak();
    let cpu = process_cpu();
    let started = Instant::now();
    let auth = ep.basic();
    let mut all: Vec<Value> = Vec::new();
    let mut page = 1usize;
    loop {
        let url = format!(
            "{}/rest/v1/users?page={page}&perPage={PER_PAGE}",
            ep.base_url
        );
        let r = http
            .get(&url)
            .header(reqwest::header::AUTHORIZATION, &auth)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if r.status() != 200 {
            return Err(format!("page {page}: status {}", r.status()));
        }
        let mut body: Value = r.json().await.map_err(|e| e.to_string())?;
        let total_pages = body["pagination"]["totalPages"].as_u64().unwrap_or(0) as usize;
        if let Some(Value::Array(items)) = body.get_mut("results").map(Value::take) {
            all.extend(items);
        }
        if page >= total_pages {
            break;
        }
        page += 1;
    }
    let read = all.len();
    let out = finish("raw_pages", ep.users, read, page, started, cpu);
    drop(all);
    Ok(out)
}

/// Every user through `returnAll: true`.
pub async fn return_all(ctx: &Context, ep: &Endpoint) -> Result<PagingSample, String> {
    alloc::reset_peak();
    let cpu = process_cpu();
    let started = Instant::now();
    let out = Catalogue::global()
        .execute(
            "thrive_search_users",
            input(ep, json!({"returnAll": true})),
            ctx,
        )
        .await
        .map_err(|e| e.to_string())?;
    let read = out["results"].as_array().map_or(0, Vec::len);
    let sample = finish(
        "return_all",
        ep.users,
        read,
        read.div_ceil(PER_PAGE),
        started,
        cpu,
    );
    drop(out);
    Ok(sample)
}

/// Every user through a `Pager`, one page held at a time.
pub async fn stream(ctx: &Context, ep: &Endpoint) -> Result<PagingSample, String> {
    alloc::reset_peak();
    let cpu = process_cpu();
    let started = Instant::now();
    let mut pager = Catalogue::global()
        .pager("thrive_search_users", input(ep, json!({})), ctx)
        .map_err(|e| e.to_string())?;
    let (mut read, mut pages) = (0, 0);
    while let Some(page) = pager.next_page().await {
        read += page.map_err(|e| e.to_string())?.len();
        pages += 1;
    }
    Ok(finish("stream", ep.users, read, pages, started, cpu))
}
