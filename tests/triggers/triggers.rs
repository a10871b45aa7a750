//! Triggers in process: the receiver behind the block server, the durable
//! event log, the at-least-once stream, the polling triggers and the
//! trigger catalogue.

use serde_json::{Value, json};
use std::path::PathBuf;
use std::time::Duration;
use thrive_blocks::host::http::{self, ServerOptions};
use thrive_blocks::triggers::{
    self, EventLog, PollSpec, Poller, Receiver, ReceiverConfig, SqliteStore, Subscription,
    TriggerFilters, payloads::CompletionEvent, sign,
};
use thrive_blocks::{Catalogue, Context};

const TENANT: &str = "eu-west-2_AbcdEfghI";
const SECRET: &str = "whsec-test-1";

fn temp_store() -> PathBuf {
    std::env::temp_dir().join(format!(
        "thrive-triggers-test-{}.db",
        uuid::Uuid::new_v4().simple()
    ))
}

fn completion_body(n: usize) -> String {
    json!({
        "eventType": "content.completed",
        "tenantId": TENANT,
        "user": {"id": format!("u{n}"), "reference": format!("EMP-{n:05}"), "email": null, "firstName": "Jane", "lastName": "Smith"},
        "content": {"id": "64a1b2", "title": "Fire safety", "type": "course", "urls": ["https://acme.learn.link/content/64a1b2"]},
        "createdAt": "2026-03-15T10:30:00.000Z",
        "dispatchedAt": format!("2026-03-15T10:30:01.{:03}Z", n % 1000),
        "somethingNew": {"kept": true}
    })
    .to_string()
}

/// A block server with the receiver on a loopback port; returns its base URL.
async fn server(path: &PathBuf) -> (String, Receiver) {
    let log = EventLog::new(SqliteStore::open(path).expect("store")).expect("log");
    let config = ReceiverConfig::for_tenant(TENANT)
        .subscription(Subscription::Completion, Some(SECRET))
        .subscription(Subscription::User, Some(SECRET));
    let receiver = Receiver::new(config, log, Catalogue::global().webhook_routes());
    let options = ServerOptions {
        webhooks: Some(receiver.clone()),
        ..ServerOptions::default()
    };
    let router = http::router_with_options(Catalogue::global(), Context::from_env(), options);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, router).await });
    (format!("http://{addr}"), receiver)
}

async fn post(
    client: &reqwest::Client,
    base: &str,
    sub: &str,
    body: &str,
    signature: Option<&str>,
) -> (u16, Value) {
    let mut req = client
        .post(format!("{base}/webhooks/thrive/{sub}"))
        .header("content-type", "application/json")
        .body(body.to_owned());
    if let Some(sig) = signature {
        req = req.header("x-hmac-signature", sig);
    }
    let resp = req.send().await.expect("send");
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

async fn events(client: &reqwest::Client, base: &str, after: u64, limit: usize) -> Value {
    client
        .get(format!("{base}/events?after={after}&limit={limit}"))
        .send()
        .await
        .expect("events")
        .json()
        .await
        .expect("json")
}

#[tokio::test]
async fn a_signed_event_is_accepted_and_delivered_once_as_a_typed_trigger_event() {
    let path = temp_store();
    let (base, _) = server(&path).await;
    let client = client();
    let body = completion_body(1);
    let sig = sign(SECRET.as_bytes(), body.as_bytes());
    let (status, ack) = post(&client, &base, "completion_subscription", &body, Some(&sig)).await;
    assert_eq!(status, 200, "{ack}");
    assert_eq!(ack, json!({"cursor": 1, "duplicate": false}));

    let page = events(&client, &base, 0, 100).await;
    let list = page["events"].as_array().expect("events");
    assert_eq!(list.len(), 1);
    let e = &list[0];
    assert_eq!(e["cursor"], 1);
    assert_eq!(e["trigger"], "thrive_on_content_completed");
    assert_eq!(e["source"], "completion_subscription");
    assert_eq!(e["eventType"], "content.completed");
    assert_eq!(e["tenantId"], TENANT);
    // Lossless: the payload is what was sent, unknown fields included.
    assert_eq!(
        e["payload"],
        serde_json::from_str::<Value>(&body).expect("body")
    );
    let typed: CompletionEvent = serde_json::from_value(e["payload"].clone()).expect("typed");
    assert_eq!(typed.user.reference.as_deref(), Some("EMP-00001"));
    assert_eq!(typed.user.email, None);
    assert_eq!(typed.content.kind.as_deref(), Some("course"));
    assert_eq!(typed.extra["somethingNew"], json!({"kept": true}));
    assert_eq!(page["next"], 1);

    // Nothing more after cursor 1, even after a short long-poll.
    let started = std::time::Instant::now();
    let more: Value = client
        .get(format!("{base}/events?after=1&wait=0.3"))
        .send()
        .await
        .expect("events")
        .json()
        .await
        .expect("json");
    assert_eq!(more, json!({"events": [], "next": 1}));
    assert!(started.elapsed() >= Duration::from_millis(250));
    remove_store(&path);
}

#[tokio::test]
async fn a_long_poll_returns_as_soon_as_an_event_arrives() {
    let path = temp_store();
    let (base, _) = server(&path).await;
    let client = client();
    let waiting = {
        let (client, base) = (client.clone(), base.clone());
        tokio::spawn(async move {
            client
                .get(format!("{base}/events?after=0&wait=20"))
                .send()
                .await
                .expect("events")
                .json::<Value>()
                .await
                .expect("json")
        })
    };
    tokio::time::sleep(Duration::from_millis(200)).await;
    let body = completion_body(7);
    let sig = sign(SECRET.as_bytes(), body.as_bytes());
    let started = std::time::Instant::now();
    assert_eq!(
        post(&client, &base, "completion_subscription", &body, Some(&sig))
            .await
            .0,
        200
    );
    let got = tokio::time::timeout(Duration::from_secs(5), waiting)
        .await
        .expect("answered before the wait ran out")
        .expect("task");
    assert_eq!(got["events"][0]["payload"]["user"]["id"], "u7");
    assert!(started.elapsed() < Duration::from_secs(5));
    remove_store(&path);
}

#[tokio::test]
async fn wrong_missing_or_altered_signatures_are_401_and_nothing_is_delivered() {
    let path = temp_store();
    let (base, _) = server(&path).await;
    let client = client();
    let body = completion_body(2);
    let good = sign(SECRET.as_bytes(), body.as_bytes());
    let wrong_key = sign(b"not-the-secret", body.as_bytes());
    let altered = body.replace("Fire safety", "Fire safetY");
    for (name, b, sig) in [
        ("missing", body.as_str(), None),
        ("wrong key", body.as_str(), Some(wrong_key.as_str())),
        ("altered body", altered.as_str(), Some(good.as_str())),
        ("not hex", body.as_str(), Some("sha256=zz")),
        (
            "no prefix",
            body.as_str(),
            Some(good.trim_start_matches("sha256=")),
        ),
    ] {
        let (status, answer) = post(&client, &base, "completion_subscription", b, sig).await;
        assert_eq!(status, 401, "{name}: {answer}");
        assert_eq!(answer["error"]["code"], "unauthorized", "{name}");
        assert_eq!(answer["error"]["retryable"], false, "{name}");
        assert_eq!(answer["error"]["delivery"], "not_sent", "{name}");
        assert!(
            !answer.to_string().contains(SECRET),
            "{name}: the secret leaked"
        );
    }
    // Other refusals: unknown tenant, unknown/disabled subscription, not JSON, too large.
    let other_tenant = body.replace(TENANT, "eu-west-2_Other");
    let sig = sign(SECRET.as_bytes(), other_tenant.as_bytes());
    assert_eq!(
        post(
            &client,
            &base,
            "completion_subscription",
            &other_tenant,
            Some(&sig)
        )
        .await
        .0,
        403
    );
    assert_eq!(
        post(&client, &base, "content_subscription", &body, Some(&good))
            .await
            .0,
        404
    );
    assert_eq!(
        post(&client, &base, "nope", &body, Some(&good)).await.0,
        404
    );
    let not_json = "not json";
    let sig = sign(SECRET.as_bytes(), not_json.as_bytes());
    assert_eq!(
        post(
            &client,
            &base,
            "completion_subscription",
            not_json,
            Some(&sig)
        )
        .await
        .0,
        400
    );
    let big = format!(
        "{{\"eventType\":\"content.completed\",\"tenantId\":\"{TENANT}\",\"pad\":\"{}\"}}",
        "x".repeat(300 * 1024)
    );
    let sig = sign(SECRET.as_bytes(), big.as_bytes());
    assert_eq!(
        post(&client, &base, "completion_subscription", &big, Some(&sig))
            .await
            .0,
        413
    );

    assert_eq!(
        events(&client, &base, 0, 100).await,
        json!({"events": [], "next": 0})
    );
    remove_store(&path);
}

#[tokio::test]
async fn the_same_body_three_times_is_delivered_once() {
    let path = temp_store();
    let (base, _) = server(&path).await;
    let client = client();
    let body = completion_body(3);
    let sig = sign(SECRET.as_bytes(), body.as_bytes());
    let mut acks = Vec::new();
    for _ in 0..3 {
        let (status, ack) =
            post(&client, &base, "completion_subscription", &body, Some(&sig)).await;
        assert_eq!(status, 200);
        acks.push(ack);
    }
    assert_eq!(
        acks,
        vec![
            json!({"cursor": 1, "duplicate": false}),
            json!({"cursor": 1, "duplicate": true}),
            json!({"cursor": 1, "duplicate": true}),
        ]
    );
    // A different body (a new dispatch) is a new event.
    let other = completion_body(4);
    let sig = sign(SECRET.as_bytes(), other.as_bytes());
    assert_eq!(
        post(
            &client,
            &base,
            "completion_subscription",
            &other,
            Some(&sig)
        )
        .await
        .1["cursor"],
        2
    );
    let list = events(&client, &base, 0, 100).await;
    assert_eq!(list["events"].as_array().map(Vec::len), Some(2));
    remove_store(&path);
}

#[tokio::test]
async fn the_dedup_window_is_configurable() {
    let path = temp_store();
    let log = EventLog::new(SqliteStore::open(&path).expect("store")).expect("log");
    let config = ReceiverConfig {
        dedup_window: Duration::ZERO,
        ..ReceiverConfig::for_tenant(TENANT).subscription(Subscription::Completion, None)
    };
    let receiver = Receiver::new(config, log, Catalogue::global().webhook_routes());
    let body = completion_body(5);
    let headers = http_headers();
    let first = receiver
        .accept("completion_subscription", &headers, body.as_bytes())
        .await
        .expect("first");
    tokio::time::sleep(Duration::from_millis(5)).await;
    let second = receiver
        .accept("completion_subscription", &headers, body.as_bytes())
        .await
        .expect("second");
    assert!(!first.duplicate && !second.duplicate);
    assert_eq!((first.cursor, second.cursor), (1, 2));
    remove_store(&path);
}

fn http_headers() -> ::http::HeaderMap {
    ::http::HeaderMap::new()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_thousand_events_from_eight_concurrent_senders_are_each_delivered_once() {
    let path = temp_store();
    let (base, _) = server(&path).await;
    let client = client();
    let mut senders = Vec::new();
    for s in 0..8 {
        let (client, base) = (client.clone(), base.clone());
        senders.push(tokio::spawn(async move {
            for i in 0..125 {
                let n = s * 125 + i;
                let body = json!({"eventType": "user.updated", "tenantId": TENANT,
                    "user": {"id": format!("user-{n}")}, "createdAt": "2026-03-15T10:30:00Z",
                    "dispatchedAt": "2026-03-15T10:30:01Z"})
                .to_string();
                let sig = sign(SECRET.as_bytes(), body.as_bytes());
                let (status, _) =
                    post(&client, &base, "user_subscription", &body, Some(&sig)).await;
                assert_eq!(status, 200);
                // Every tenth event is also retried, as Thrive would.
                if n % 10 == 0 {
                    let (status, ack) =
                        post(&client, &base, "user_subscription", &body, Some(&sig)).await;
                    assert_eq!((status, ack["duplicate"].clone()), (200, json!(true)));
                }
            }
        }));
    }
    for s in senders {
        s.await.expect("sender");
    }
    let mut seen = std::collections::BTreeSet::new();
    let mut after = 0u64;
    loop {
        let page = events(&client, &base, after, 1000).await;
        let list = page["events"].as_array().expect("events").clone();
        if list.is_empty() {
            break;
        }
        for e in &list {
            assert_eq!(e["trigger"], "thrive_on_user_changed");
            let id = e["payload"]["user"]["id"].as_str().expect("id").to_owned();
            assert!(seen.insert(id.clone()), "{id} delivered twice");
        }
        after = page["next"].as_u64().expect("next");
    }
    assert_eq!(seen.len(), 1000);
    assert_eq!(after, 1000, "cursors are 1..=1000 with no gaps");
    remove_store(&path);
}

#[tokio::test]
async fn the_stream_is_at_least_once_and_resumes_after_the_last_ack() {
    let path = temp_store();
    let log = EventLog::new(SqliteStore::open(&path).expect("store")).expect("log");
    let receiver = Receiver::new(
        ReceiverConfig::for_tenant(TENANT).subscription(Subscription::Completion, None),
        log.clone(),
        Catalogue::global().webhook_routes(),
    );
    for n in 0..3 {
        receiver
            .accept(
                "completion_subscription",
                &http_headers(),
                completion_body(10 + n).as_bytes(),
            )
            .await
            .expect("accept");
    }
    let mut stream = log.stream("workflow-a", None).await.expect("stream");
    let first = stream.next().await.expect("next").expect("some");
    let second = stream.next().await.expect("next").expect("some");
    assert_eq!((first.cursor(), second.cursor()), (1, 2));
    stream.ack(&first).await.expect("ack");
    drop(stream);
    drop(receiver);
    drop(log);
    // Restart: a fresh log on the same file resumes after the ack, so the
    // unacknowledged second event comes again.
    let log = EventLog::new(SqliteStore::open(&path).expect("store")).expect("log");
    let mut stream = log.stream("workflow-a", None).await.expect("stream");
    let again = stream.next().await.expect("next").expect("some");
    assert_eq!(again.cursor(), 2);
    assert_eq!(
        again
            .payload_as::<CompletionEvent>()
            .expect("typed")
            .user
            .id,
        "u11"
    );
    // Another consumer starts from the beginning.
    let mut other = log.stream("workflow-b", None).await.expect("stream");
    assert_eq!(other.next().await.expect("next").expect("some").cursor(), 1);
    remove_store(&path);
}

#[test]
fn every_trigger_is_in_the_catalogue_with_schemas_and_filters() {
    let catalogue = Catalogue::global();
    let ids: Vec<&str> = catalogue.triggers().map(|t| t.meta().id).collect();
    assert_eq!(
        ids,
        vec![
            "thrive_on_assignment_changed",
            "thrive_on_completion_recorded",
            "thrive_on_content_changed",
            "thrive_on_content_completed",
            "thrive_on_cpd_entry_logged",
            "thrive_on_enrolment_status_changed",
            "thrive_on_other_event",
            "thrive_on_user_changed",
            "thrive_on_users_updated",
        ]
    );
    let t = catalogue
        .trigger("thrive_on_content_completed")
        .expect("trigger");
    let m = t.manifest();
    assert_eq!(
        m["eventTypes"],
        json!(["content.completed", "content.passed"])
    );
    assert_eq!(
        m["source"],
        json!({"kind": "webhook", "subscriptions": ["completion_subscription"]})
    );
    assert_eq!(
        m["payloadSchema"]["required"],
        json!([
            "eventType",
            "tenantId",
            "user",
            "content",
            "createdAt",
            "dispatchedAt"
        ])
    );
    // Documented-nullable fields are nullable in the schema.
    assert_eq!(
        m["payloadSchema"]["properties"]["user"]["properties"]["email"]["type"],
        json!(["string", "null"])
    );
    assert_eq!(
        m["filtersSchema"]["properties"]
            .as_object()
            .map(|p| p.keys().cloned().collect::<Vec<_>>()),
        Some(vec!["eventTypes".to_owned(), "contentIds".to_owned()])
    );
    // Filters: content ids and event types, unknown filters refused by name.
    let filters = t
        .filters(&json!({"contentIds": ["64a1b2"]}))
        .expect("filters");
    let payload: Value = serde_json::from_str(&completion_body(1)).expect("json");
    assert!(filters.matches("content.completed", &payload));
    let other = t
        .filters(&json!({"contentIds": ["other"], "eventTypes": ["content.passed"]}))
        .expect("filters");
    assert!(!other.matches("content.completed", &payload));
    let err = t
        .filters(&json!({"audienceId": "a"}))
        .expect_err("not offered");
    assert_eq!(err.violations()[0].pointer, "/audienceId");
    assert!(catalogue.trigger("thrive_on_nothing").is_err());
    let poll = catalogue
        .trigger("thrive_on_enrolment_status_changed")
        .expect("poll");
    assert_eq!(poll.manifest()["source"]["tool"], "thrive_list_enrolments");
    assert_eq!(poll.filters_schema()["required"], json!(["assignmentId"]));
    // The manifests index lists the triggers too.
    let (index, _) = catalogue.manifests();
    assert_eq!(index["triggers"].as_array().map(Vec::len), Some(9));
    let files = catalogue.trigger_manifests();
    assert_eq!(files.len(), 9);
    assert!(
        files
            .iter()
            .any(|(id, m)| *id == "thrive_on_user_changed" && m["kind"] == "trigger")
    );
    // Untyped events of undocumented families pass through under their eventType.
    assert!(
        Catalogue::global()
            .trigger("thrive_on_other_event")
            .expect("other")
            .covers("enrolment.overdue")
    );
}

#[tokio::test]
async fn the_secret_never_shows_in_debug_output() {
    let config =
        ReceiverConfig::for_tenant(TENANT).subscription(Subscription::User, Some("s3cr3t-value"));
    assert!(!format!("{config:?}").contains("s3cr3t-value"));
    let options = ServerOptions::default().with_token("t0k3n-value");
    assert!(!format!("{options:?}").contains("t0k3n-value"));
}

/// Polling: a sandbox with completions, a poller with a durable cursor.
#[tokio::test]
async fn a_polling_trigger_resumes_from_its_cursor_after_a_restart_without_repeat_or_skip() {
    let sandbox = thrive_sandbox::Sandbox::start(thrive_sandbox::SandboxConfig::default())
        .await
        .expect("sandbox");
    let origin = thrive_blocks::api::Origin::parse(&sandbox.base_url()).expect("origin");
    let ctx = Context::builder().allow_origin(origin).build();
    let creds = sandbox.demo_credentials();
    let mut connection = serde_json::Map::new();
    connection.insert("tenantId".into(), creds.tenant_id.clone().into());
    connection.insert("apiKey".into(), creds.api_key.clone().into());
    connection.insert("host".into(), sandbox.base_url().into());
    let users: Vec<String> = sandbox
        .state()
        .users()
        .iter()
        .filter(|u| u["deleted"] != true)
        .filter_map(|u| u["id"].as_str().map(String::from))
        .take(4)
        .collect();
    let content: Vec<String> = sandbox
        .state()
        .contents()
        .iter()
        .filter_map(|c| c["id"].as_str().map(String::from))
        .take(2)
        .collect();
    let complete = |user: &str, at: &str| {
        let mut input = connection.clone();
        input.insert("userId".into(), user.into());
        input.insert("contentId".into(), content[0].clone().into());
        input.insert("completedAt".into(), at.into());
        let ctx = ctx.clone();
        async move {
            Catalogue::global()
                .execute("thrive_create_completion", Value::Object(input), &ctx)
                .await
                .expect("completion")
        }
    };
    let spec = PollSpec {
        trigger: "thrive_on_completion_recorded".into(),
        connection: thrive_blocks::params::Connection::from_input(&Value::Object(
            connection.clone(),
        ))
        .expect("connection"),
        filters: TriggerFilters::default(),
        interval: Duration::from_secs(60),
        start: Some("2031-01-01T00:00:00.000Z".into()),
    };
    let polled = Catalogue::global()
        .trigger("thrive_on_completion_recorded")
        .expect("trigger")
        .dyn_trigger();
    // Two completions at the same instant, one later.
    complete(&users[0], "2031-02-01T09:00:00.000Z").await;
    complete(&users[1], "2031-02-01T09:00:00.000Z").await;
    complete(&users[2], "2031-02-02T09:00:00.000Z").await;

    let path = temp_store();
    let open = || EventLog::new(SqliteStore::open(&path).expect("store")).expect("log");
    let log = open();
    let poller = Poller::new(spec.clone(), polled, ctx.clone(), log.clone()).expect("poller");
    assert_eq!(poller.poll_once().await.expect("poll"), 3);
    assert_eq!(
        poller.poll_once().await.expect("poll"),
        0,
        "nothing repeats"
    );
    drop(poller);
    drop(log);

    // While "down": one more at the cursor's instant, one after it.
    complete(&users[3], "2031-02-02T09:00:00.000Z").await;
    complete(&users[0], "2031-02-03T09:00:00.000Z").await;

    let log = open();
    let poller = Poller::new(spec, polled, ctx.clone(), log.clone()).expect("poller");
    assert_eq!(
        poller.poll_once().await.expect("poll"),
        2,
        "resumes: the two new ones, nothing repeated"
    );
    assert_eq!(poller.poll_once().await.expect("poll"), 0);
    let all = log.read(0, 100, Duration::ZERO).await.expect("read");
    let mut ids: Vec<String> = all
        .iter()
        .map(|d| d.payload()["itemId"].as_str().expect("id").to_owned())
        .collect();
    assert_eq!(ids.len(), 5);
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 5, "no completion delivered twice");
    assert!(
        all.iter()
            .all(|d| d.event.trigger == "thrive_on_completion_recorded"
                && d.payload()["eventType"] == "poll.completion.created")
    );
    let of_first_user = all
        .iter()
        .filter(|d| d.payload()["item"]["userId"] == users[0].as_str())
        .count();
    assert_eq!(of_first_user, 2);
    remove_store(&path);
    sandbox.shutdown().await;
}

/// A client whose requests fail instead of hanging.
fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .build()
        .expect("client")
}

/// Removes a test store and its WAL files.
fn remove_store(path: &std::path::Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(p);
    }
}

/// Inbound provisioning against the sandbox: the envelope, the id derived
/// from the event, and the sandbox's user lifecycle.
#[tokio::test]
async fn provisioning_tools_send_the_envelope_to_the_user_api_and_the_sandbox_applies_it() {
    let sandbox = thrive_sandbox::Sandbox::start(thrive_sandbox::SandboxConfig::default())
        .await
        .expect("sandbox");
    let origin = thrive_blocks::api::Origin::parse(&sandbox.base_url()).expect("origin");
    let ctx = Context::builder().allow_origin(origin).build();
    let creds = sandbox.demo_credentials();
    let input = |extra: Value| {
        let mut m = json!({"tenantId": creds.tenant_id, "apiKey": creds.api_key, "host": sandbox.base_url(),
                           "timestamp": "2026-04-01T09:00:00Z"});
        if let (Some(m), Value::Object(e)) = (m.as_object_mut(), extra) {
            m.extend(e);
        }
        m
    };
    let cat = Catalogue::global();

    // Dry run: POST /webhooks with the documented envelope and an id derived
    // from the event, on the user API twin of a public region host.
    let joined = json!({"tenantId": TENANT, "apiKey": "k", "host": "public.api.mea.learn.tech",
           "timestamp": "2026-04-01T09:00:00Z",
           "ref": "HR-1", "email": "new@example.com", "firstName": "Ann", "lastName": "Lee",
           "jobTitle": "Nurse"});
    let dry_run = |input: Value| {
        cat.dry_run("thrive_provision_user_joined", input, &Context::from_env())
            .expect("dry run")
            .to_json()
    };
    let dry = dry_run(joined.clone());
    assert_eq!(dry["method"], "POST");
    assert_eq!(dry["url"], "https://user.api.mea.learn.tech/webhooks");
    let body = &dry["body"];
    assert_eq!(body["eventType"], "user_joined");
    assert_eq!(
        body["content"],
        json!({"user": {"ref": "HR-1", "email": "new@example.com",
        "firstName": "Ann", "lastName": "Lee", "jobTitle": "Nurse"}})
    );
    let id = body["id"].as_str().expect("id");
    assert_eq!(
        uuid::Uuid::parse_str(id).expect("a UUID").get_version_num(),
        8
    );
    assert_eq!(
        id,
        thrive_blocks::thrive::provisioning::event_id(
            "user_joined",
            "2026-04-01T09:00:00Z",
            &body["content"]
        )
    );
    assert_eq!(body["timestamp"], "2026-04-01T09:00:00Z");
    // The same event always carries the same id (what a run sends is what
    // the dry run showed); another time or another field is another event.
    assert_eq!(dry_run(joined.clone()), dry);
    let mut later = joined.clone();
    later["timestamp"] = json!("2026-04-02T09:00:00Z");
    assert_ne!(dry_run(later)["body"]["id"], body["id"]);
    let mut renamed = joined.clone();
    renamed["lastName"] = json!("Leigh");
    assert_ne!(dry_run(renamed)["body"]["id"], body["id"]);
    // The time is the event's: without it nothing is built.
    let mut untimed = joined.clone();
    untimed.as_object_mut().expect("object").remove("timestamp");
    let err = cat
        .validate("thrive_provision_user_joined", untimed)
        .expect_err("no timestamp");
    assert_eq!(err.violations()[0].pointer, "/timestamp");
    let given = cat
        .dry_run(
            "thrive_provision_user_deleted",
            json!({"tenantId": TENANT, "apiKey": "k", "ref": "HR-1", "id": "evt-42",
                   "timestamp": "2026-04-01T09:00:00Z"}),
            &Context::from_env(),
        )
        .expect("dry run")
        .to_json();
    assert_eq!(given["url"], "https://user.api.learn.link/webhooks");
    assert_eq!(given["body"]["id"], "evt-42");
    // Bad input names the field; nothing is sent.
    let err = cat
        .validate(
            "thrive_provision_user_suspended",
            json!({"tenantId": TENANT, "apiKey": "k", "ref": "HR-1", "endDate": "yesterday",
                   "timestamp": "2026-04-01T09:00:00Z"}),
        )
        .expect_err("bad date");
    assert_eq!(err.violations()[0].pointer, "/endDate");

    // Against the sandbox: joined creates, suspended suspends, joined again unsuspends.
    let out = cat
        .execute("thrive_provision_user_joined", input(json!({"ref": "HR-77", "email": "hr77@example.com", "firstName": "Hal", "lastName": "Ro"})), &ctx)
        .await
        .expect("joined");
    // A non-2xx answer is an error, so the output has no `accepted` flag.
    assert_eq!(out.as_object().map(|o| o.len()), Some(2), "{out}");
    assert_eq!(out["status"], 200);
    assert_eq!(out["response"]["success"], true);
    assert_eq!(
        sandbox.state().user_by_ref("HR-77").expect("created")["email"],
        "hr77@example.com"
    );
    cat.execute(
        "thrive_provision_user_updated",
        input(json!({"ref": "HR-77", "lastName": "Rowe"})),
        &ctx,
    )
    .await
    .expect("updated");
    assert_eq!(
        sandbox.state().user_by_ref("HR-77").expect("user")["lastName"],
        "Rowe"
    );
    cat.execute(
        "thrive_provision_user_suspended",
        input(json!({"ref": "HR-77"})),
        &ctx,
    )
    .await
    .expect("suspended");
    assert_eq!(
        sandbox.state().user_by_ref("HR-77").expect("user")["status"],
        "inactive"
    );
    cat.execute("thrive_provision_user_joined", input(json!({"ref": "HR-77", "email": "hr77@example.com", "firstName": "Hal", "lastName": "Rowe"})), &ctx)
        .await
        .expect("rejoined");
    assert_eq!(
        sandbox.state().user_by_ref("HR-77").expect("user")["status"],
        "active"
    );
    cat.execute(
        "thrive_provision_user_deleted",
        input(json!({"ref": "HR-77"})),
        &ctx,
    )
    .await
    .expect("deleted");
    assert!(
        sandbox
            .state()
            .user_by_ref("HR-77")
            .is_none_or(|u| u["deleted"] == true)
    );
    let missing = cat
        .execute(
            "thrive_provision_user_deleted",
            input(json!({"ref": "HR-nobody"})),
            &ctx,
        )
        .await
        .expect_err("unknown ref");
    assert_eq!(missing.status(), Some(404));
    sandbox.shutdown().await;
}

/// Forwarding: every event POSTed to a host URL, retried until 2xx, in order,
/// and acknowledged so a restarted forwarder does not resend.
#[tokio::test]
async fn the_forwarder_posts_each_event_retrying_until_accepted() {
    use std::sync::{Arc, Mutex};
    let received: Arc<Mutex<Vec<Value>>> = Arc::default();
    let refusals = Arc::new(Mutex::new(2));
    let app = {
        let (received, refusals) = (received.clone(), refusals.clone());
        axum::Router::new().route(
            "/hook",
            axum::routing::post(move |axum::Json(v): axum::Json<Value>| {
                let (received, refusals) = (received.clone(), refusals.clone());
                async move {
                    let mut left = refusals.lock().expect("lock");
                    if *left > 0 {
                        *left -= 1;
                        return axum::http::StatusCode::SERVICE_UNAVAILABLE;
                    }
                    received.lock().expect("lock").push(v);
                    axum::http::StatusCode::OK
                }
            }),
        )
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}/hook", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, app).await });

    let path = temp_store();
    let log = EventLog::new(SqliteStore::open(&path).expect("store")).expect("log");
    let receiver = Receiver::new(
        ReceiverConfig::for_tenant(TENANT).subscription(Subscription::Completion, None),
        log.clone(),
        Catalogue::global().webhook_routes(),
    );
    for n in 0..3 {
        receiver
            .accept(
                "completion_subscription",
                &http_headers(),
                completion_body(20 + n).as_bytes(),
            )
            .await
            .expect("accept");
    }
    let forwarder = triggers::Forwarder::new(url.clone())
        .with_backoff(Duration::from_millis(10), Duration::from_millis(50));
    let consumer = forwarder.consumer().to_owned();
    let task = tokio::spawn(forwarder.run(log.clone()));
    for _ in 0..200 {
        if received.lock().expect("lock").len() == 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    task.abort();
    let got = received.lock().expect("lock").clone();
    let users: Vec<&str> = got
        .iter()
        .filter_map(|e| e["payload"]["user"]["id"].as_str())
        .collect();
    assert_eq!(
        users,
        vec!["u20", "u21", "u22"],
        "each once, in order, after two refusals"
    );
    assert_eq!(got[0]["trigger"], "thrive_on_content_completed");
    assert_eq!(log.store().acked(&consumer).expect("acked"), 3);
    remove_store(&path);
}

#[test]
fn trigger_manifests_carry_every_schema_flavour_drawn_from_filters_and_payload() {
    let catalogue = Catalogue::global();
    for t in catalogue.triggers() {
        let m = t.manifest();
        let polls = m["source"]["kind"] == "polling";
        for flavour in thrive_blocks::flavours::Flavour::ALL {
            let connection = flavour.key().starts_with("connection");
            assert_eq!(
                m[flavour.key()].is_object(),
                polls || !connection,
                "{} and {}",
                t.meta().id,
                flavour.key()
            );
        }
        // The input side is the filters (with the connection when the
        // trigger polls), the output side the payload.
        let own: Vec<&String> = m["inputSchema"]["properties"]
            .as_object()
            .expect("properties")
            .keys()
            .filter(|k| !["tenantId", "apiKey", "host", "clientId", "scope"].contains(&k.as_str()))
            .collect();
        let filters: Vec<&String> = t.filters_schema()["properties"]
            .as_object()
            .expect("properties")
            .keys()
            .collect();
        assert_eq!(own, filters, "{}", t.meta().id);
        assert_eq!(
            m["inputSchema"]["properties"].get("tenantId").is_some(),
            polls,
            "{}",
            t.meta().id
        );
        assert_eq!(&m["outputSchema"], t.payload_schema(), "{}", t.meta().id);
        assert_eq!(
            m["formSchema"]["$schema"],
            "http://json-schema.org/draft-07/schema#"
        );
        assert_eq!(m["formSchema"]["title"], t.meta().title);
    }
    let poll = catalogue
        .trigger("thrive_on_enrolment_status_changed")
        .expect("poll")
        .manifest();
    // A person picks the assignment from a dropdown and ticks statuses.
    assert_eq!(poll["formSchema"]["required"], json!(["assignmentId"]));
    assert_eq!(
        poll["uiSchema"]["assignmentId"]["ui:options"]["x-options"]["tool"],
        "thrive_list_assignments"
    );
    let statuses: Vec<&str> = poll["formSchema"]["properties"]["statuses"]["items"]["oneOf"]
        .as_array()
        .expect("status choices")
        .iter()
        .filter_map(|o| o["const"].as_str())
        .collect();
    assert_eq!(
        statuses,
        [
            "archived",
            "complete",
            "open",
            "overdue",
            "scheduled",
            "unassigned"
        ]
    );
    // Polling triggers call Thrive, so they have the tools' connection
    // form; webhook triggers have nothing to connect.
    assert_eq!(
        poll["connectionSchema"]["required"],
        json!(["tenantId", "apiKey"])
    );
    assert_eq!(
        poll["inputSchema"]["required"],
        json!(["tenantId", "apiKey", "assignmentId"])
    );
    // The polled item is the polled tool's list item, field by field.
    assert_eq!(
        poll["outputSchema"]["properties"]["item"]["properties"]["status"],
        catalogue
            .get("thrive_list_enrolments")
            .expect("tool")
            .output_schema()["properties"]["enrolments"]["items"]["properties"]["status"]
    );
    let hook = catalogue
        .trigger("thrive_on_content_completed")
        .expect("webhook")
        .manifest();
    assert!(hook.get("connectionSchema").is_none());
    assert_eq!(
        hook["portableOutputSchema"]["properties"]["content"]["type"],
        "object"
    );
    // A status the form does not offer is refused by name.
    let err = catalogue
        .trigger("thrive_on_enrolment_status_changed")
        .expect("poll")
        .filters(&json!({"assignmentId": "a1", "statuses": ["complete", "done"]}))
        .expect_err("not a status");
    assert_eq!(err.violations()[0].pointer, "/statuses/1");
    assert!(
        err.to_string()
            .contains("\"done\" is not an enrolment status"),
        "{err}"
    );
    // A form value is checked as a tool's: every problem, each by field.
    let poll = catalogue
        .trigger("thrive_on_enrolment_status_changed")
        .expect("poll");
    let err = poll
        .validate(&json!({"apiKey": "k", "statuses": ["open"], "contentIds": ["c"]}))
        .expect_err("incomplete");
    let pointers: Vec<String> = err.violations().into_iter().map(|v| v.pointer).collect();
    assert_eq!(
        pointers,
        ["/tenantId", "/assignmentId", "/contentIds"],
        "{err}"
    );
    let filters = poll
        .validate(&json!({"tenantId": "t", "apiKey": "k", "assignmentId": "a1", "statuses": null}))
        .expect("valid");
    assert_eq!(filters.assignment_id.as_deref(), Some("a1"));
    assert_eq!(filters.statuses, None);
    // Webhook triggers set the connection a host merges in aside.
    let hook = catalogue
        .trigger("thrive_on_content_completed")
        .expect("webhook");
    let filters = hook
        .validate(&json!({"tenantId": "t", "apiKey": "k", "contentIds": ["c1"]}))
        .expect("valid");
    assert_eq!(filters.content_ids, Some(vec!["c1".to_owned()]));
}
