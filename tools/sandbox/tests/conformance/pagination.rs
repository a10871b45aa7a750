//! Pagination math, page-size ranges, bulk data and query conventions.

use serde_json::{Value, json};

use crate::client::{assert_error, start};

#[tokio::test]
async fn paginate_over_5000_users() {
    let (sandbox, c) = start().await;
    let state = sandbox.state();
    let ids = state.insert_users(5000);
    assert_eq!(ids.len(), 5000);
    assert!(state.user_by_ref("bulk-0000").is_some());
    assert!(state.user_by_ref("bulk-4999").is_some());
    let total = 5300;

    let first = c.get("/rest/v1/users?perPage=1000").await.json();
    assert_eq!(
        first["pagination"],
        json!({"totalResults": total, "totalPages": 6, "page": 1, "perPage": 1000})
    );
    let mut seen = std::collections::HashSet::new();
    let mut page = 1;
    loop {
        let r = c
            .get(&format!("/rest/v1/users?page={page}&perPage=1000"))
            .await
            .json();
        let results = r["results"].as_array().expect("results");
        for u in results {
            assert!(
                seen.insert(u["id"].as_str().expect("id").to_owned()),
                "duplicate across pages"
            );
        }
        if page == 6 {
            assert_eq!(results.len(), 300);
        }
        if page >= r["pagination"]["totalPages"].as_u64().expect("totalPages") {
            break;
        }
        page += 1;
    }
    assert_eq!(seen.len(), total);
    // Stable order: creation order, the bulk users last.
    let last = c.get("/rest/v1/users?page=6&perPage=1000").await.json();
    assert_eq!(last["results"][299]["ref"], "bulk-4999");
    // Past the end: empty results, echoed paging.
    let past = c.get("/rest/v1/users?page=7&perPage=1000").await.json();
    assert_eq!(past["results"], json!([]));
    assert_eq!(
        past["pagination"],
        json!({"totalResults": total, "totalPages": 6, "page": 7, "perPage": 1000})
    );
    // Default perPage 100.
    let default = c.get("/rest/v1/users").await.json();
    assert_eq!(default["pagination"]["perPage"], 100);
    assert_eq!(default["pagination"]["totalPages"], 53);
    // Numbering continues.
    let more = state.insert_users(2);
    assert_eq!(more.len(), 2);
    assert!(state.user_by_ref("bulk-5001").is_some());
}

#[tokio::test]
async fn per_page_ranges_per_endpoint() {
    let (sandbox, c) = start().await;
    let aid = sandbox.state().assignments()[0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    // (path, max, default)
    let cases: Vec<(String, u32, u32)> = vec![
        ("/rest/v1/users".into(), 1000, 100),
        ("/rest/v1/audiences".into(), 1000, 100),
        ("/rest/v1/audiences/struct-sales/members".into(), 1000, 100),
        ("/rest/v1/contents".into(), 1000, 20),
        ("/rest/v1/activities".into(), 1000, 20),
        ("/rest/v1/cpdCategories".into(), 1000, 100),
        ("/rest/v1/cpdEntries".into(), 1000, 100),
        ("/rest/v1/cpdRequirementSummaries".into(), 1000, 100),
        ("/rest/v1/tags".into(), 1000, 100),
    ];
    for (path, max, default) in &cases {
        let r = c.get(path).await;
        assert_eq!(r.status, 200, "{path}: {}", r.text());
        assert_eq!(r.json()["pagination"]["perPage"], *default, "{path}");
        assert_eq!(
            c.get(&format!("{path}?perPage={max}")).await.status,
            200,
            "{path}"
        );
        let over = c.get(&format!("{path}?perPage={}", max + 1)).await;
        assert_error(&over, 400, "Bad Request");
        assert_error(
            &c.get(&format!("{path}?perPage=0")).await,
            400,
            "Bad Request",
        );
        assert_error(&c.get(&format!("{path}?page=0")).await, 400, "Bad Request");
        assert_error(
            &c.get(&format!("{path}?perPage=ten")).await,
            400,
            "Bad Request",
        );
    }
    let over = c.get("/rest/v1/users?perPage=1001").await.json();
    assert_eq!(over["message"], "perPage must not be greater than 1000");
    // Bare-array endpoints.
    for (path, max) in [
        ("/rest/v1/assignments".to_owned(), 100),
        (format!("/rest/v1/assignments/{aid}/enrolments"), 100),
        ("/rest/v1/learning/completions".to_owned(), 1000),
    ] {
        assert!(c.get(&path).await.json().is_array(), "{path}");
        assert_eq!(
            c.get(&format!("{path}?perPage={max}")).await.status,
            200,
            "{path}"
        );
        assert_error(
            &c.get(&format!("{path}?perPage={}", max + 1)).await,
            400,
            "Bad Request",
        );
    }
}

#[tokio::test]
async fn bare_arrays_page_until_a_short_page() {
    let (sandbox, c) = start().await;
    let aid = sandbox.state().assignments()[0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let total = sandbox.state().enrolments(&aid).len();
    assert!(total > 30);
    let mut collected: Vec<Value> = Vec::new();
    let mut page = 1;
    loop {
        let r = c
            .get(&format!(
                "/rest/v1/assignments/{aid}/enrolments?page={page}&perPage=30"
            ))
            .await
            .json();
        let items = r.as_array().expect("bare array").clone();
        let n = items.len();
        collected.extend(items);
        if n < 30 {
            break;
        }
        page += 1;
    }
    assert_eq!(collected.len(), total);
}

#[tokio::test]
async fn query_conventions() {
    let (_sandbox, c) = start().await;
    // Unknown parameters are ignored.
    let r = c.get("/rest/v1/audiences?flavour=mint&perPage=2").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["pagination"]["perPage"], 2);
    // A repeated documented parameter is a 400.
    assert_error(
        &c.get("/rest/v1/audiences?perPage=2&perPage=3").await,
        400,
        "Bad Request",
    );
    // Empty values count as absent.
    assert_eq!(
        c.get("/rest/v1/users?status=&perPage=").await.json()["pagination"]["perPage"],
        100
    );
    // Unknown routes and methods: Thrive-shaped errors.
    assert_error(&c.get("/rest/v1/nothing-here").await, 404, "Not Found");
    assert_error(
        &c.send("PUT", "/rest/v1/audiences", None).await,
        405,
        "Method Not Allowed",
    );
}

#[tokio::test]
async fn stats_count_routes() {
    let (sandbox, c) = start().await;
    c.get("/rest/v1/users?perPage=1").await;
    c.get("/rest/v1/users?perPage=2").await;
    c.get("/rest/v1/audiences/struct-sales/members").await;
    c.get("/rest/v1/nowhere").await;
    let stats = sandbox.stats();
    assert_eq!(stats.total_requests, 4);
    assert_eq!(stats.count("GET", "/rest/v1/users"), 2);
    assert_eq!(
        stats.count("GET", "/rest/v1/audiences/{audienceId}/members"),
        1
    );
    assert_eq!(stats.count("GET", "<unmatched>"), 1);
    assert_eq!(stats.by_status.get(&200), Some(&3));
    assert_eq!(stats.by_status.get(&404), Some(&1));
    sandbox.reset_stats();
    assert_eq!(sandbox.stats().total_requests, 0);
}
