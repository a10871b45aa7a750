//! Micro benchmarks of the per-call work the catalogue adds on top of the
//! HTTP call: validation, `prepare` (normalise, schema check, connection
//! and paging options, the request) and output mapping. Prints divan's
//! timings and allocation counts per call; asserts nothing.
//!
//! Run: `cargo bench --bench micro` (add `-- prepare` to filter).

use serde_json::{Value, json};
use thrive_blocks::Catalogue;
use thrive_blocks::api::ApiResponse;

#[global_allocator]
static ALLOC: divan::AllocProfiler = divan::AllocProfiler::system();

fn main() {
    divan::main();
}

fn get_user_input() -> Value {
    json!({
        "tenantId": "eu-west-2_AbcdEfghI",
        "apiKey": "s3cr3t",
        "host": "public.api.learn.link",
        "ref": "EMP-00042",
    })
}

fn user_body() -> Vec<u8> {
    json!({
        "id": "646767d82535201223349e09", "ref": "EMP-00042", "firstName": "John",
        "lastName": "Doe", "email": "john.doe@example.com", "role": "learner",
        "status": "active",
        "positions": [{"id": "p1", "name": "Engineer", "ref": "ENG", "structure": {"id": "s1", "name": "Tech"}}],
        "additionalFields": {"location": "London"}, "languageCode": "en-gb"
    })
    .to_string()
    .into_bytes()
}

fn add_members_input() -> Value {
    let users: Vec<String> = (0..100).map(|i| format!("user{i}@example.com")).collect();
    json!({
        "tenantId": "t", "apiKey": "k", "audienceId": "struct-tech",
        "users": serde_json::to_string(&users).unwrap_or_default(),
    })
}

/// Building the catalogue: 48 tools, schemas generated.
#[divan::bench(sample_count = 20)]
fn catalogue_build() -> Catalogue {
    Catalogue::new()
}

/// `validate` of get-user-by-ref (the validator is compiled already).
#[divan::bench]
fn validate_get_user(bencher: divan::Bencher) {
    let cat = Catalogue::global();
    let _ = cat.validate("thrive_get_user_by_ref", get_user_input());
    bencher
        .with_inputs(get_user_input)
        .bench_values(|input| cat.validate("thrive_get_user_by_ref", input));
}

/// `validate` of add-audience-members with 100 users in its JSON text.
#[divan::bench]
fn validate_add_members_100(bencher: divan::Bencher) {
    let cat = Catalogue::global();
    let _ = cat.validate("thrive_add_audience_members", add_members_input());
    bencher
        .with_inputs(add_members_input)
        .bench_values(|input| cat.validate("thrive_add_audience_members", input));
}

/// `validate` of an input with five problems (every one reported).
#[divan::bench]
fn validate_invalid(bencher: divan::Bencher) {
    let cat = Catalogue::global();
    let bad = || json!({"tenantId": "t", "apiKey": "k", "users": "[1, \"\", {}]", "extra": 1});
    bencher
        .with_inputs(bad)
        .bench_values(|input| cat.validate("thrive_add_audience_members", input));
}

/// `prepare` of get-user-by-ref: everything before the HTTP call.
#[divan::bench]
fn prepare_get_user(bencher: divan::Bencher) {
    let Ok(tool) = Catalogue::global().get("thrive_get_user_by_ref") else {
        return;
    };
    let _ = tool.prepare(get_user_input());
    bencher
        .with_inputs(get_user_input)
        .bench_values(|input| tool.prepare(input));
}

/// Parsing a user response body.
#[divan::bench]
fn response_from_bytes(bencher: divan::Bencher) {
    let body = user_body();
    bencher.bench(|| ApiResponse::from_bytes(200, divan::black_box(&body)));
}

/// Parsing a user response body and mapping it to the tool's output.
#[divan::bench]
fn output_get_user(bencher: divan::Bencher) {
    let Ok(tool) = Catalogue::global().get("thrive_get_user_by_ref") else {
        return;
    };
    let body = user_body();
    bencher.bench(|| tool.output(ApiResponse::from_bytes(200, divan::black_box(&body))));
}

/// The same body read straight from its bytes into the tool's output, as
/// the runtime does for a single call (no `Value` in between).
#[divan::bench]
fn output_raw_get_user(bencher: divan::Bencher) {
    let Ok(tool) = Catalogue::global().get("thrive_get_user_by_ref") else {
        return;
    };
    let body = bytes::Bytes::from(user_body());
    bencher.bench(|| {
        tool.output_raw(thrive_blocks::wire::RawResponse {
            status: 200,
            bytes: divan::black_box(body.clone()),
            meta: Default::default(),
        })
    });
}
