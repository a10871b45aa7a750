//! Basic and OAuth 2.0 client-credentials authentication.

use serde_json::json;
use thrive_sandbox::SandboxConfig;

use crate::client::{Client, assert_error, basic, start, start_with, try_request};

const TOKEN_PATH: &str = "/oauth2/token/eu-west-2_SandboxDemo";
const FORM: &str = "application/x-www-form-urlencoded";

async fn token(
    addr: std::net::SocketAddr,
    path: &str,
    auth: Option<&str>,
    form: &str,
) -> crate::client::Resp {
    let mut headers = vec![("Content-Type", FORM)];
    if let Some(a) = auth {
        headers.push(("Authorization", a));
    }
    try_request(addr, "POST", path, &headers, form.as_bytes())
        .await
        .expect("token response")
}

#[tokio::test]
async fn missing_or_wrong_basic_credentials_are_401() {
    let (sandbox, good) = start().await;
    let anonymous = Client::anonymous(&sandbox);
    let r = anonymous.get("/rest/v1/users").await;
    assert_error(&r, 401, "Unauthorized");
    assert_eq!(r.json()["message"], "Unauthorized");

    let wrong = Client {
        addr: sandbox.addr(),
        auth: Some(basic("eu-west-2_SandboxDemo", "not-the-key")),
    };
    assert_error(&wrong.get("/rest/v1/users").await, 401, "Unauthorized");
    let other_tenant = Client {
        addr: sandbox.addr(),
        auth: Some(basic("eu-west-2_Other", "sandbox-api-key")),
    };
    assert_error(
        &other_tenant.get("/rest/v1/users").await,
        401,
        "Unauthorized",
    );
    let garbage = Client {
        addr: sandbox.addr(),
        auth: Some("Basic !!!notbase64".to_owned()),
    };
    assert_error(&garbage.get("/rest/v1/users").await, 401, "Unauthorized");
    // Writes are refused too, and change nothing.
    let r = anonymous
        .post(
            "/rest/v2/users",
            json!({"ref": "X1", "firstName": "A", "lastName": "B", "email": "x1@example.com"}),
        )
        .await;
    assert_error(&r, 401, "Unauthorized");
    assert!(sandbox.state().user_by_ref("X1").is_none());

    assert_eq!(good.get("/rest/v1/users").await.status, 200);
    // v2 and v1 share the credentials.
    assert_eq!(good.get("/rest/v1/skills/levels").await.status, 200);
}

#[tokio::test]
async fn token_issued_with_basic_client_auth_and_used_as_bearer() {
    let (sandbox, _) = start().await;
    let r = token(
        sandbox.addr(),
        TOKEN_PATH,
        Some(&basic("sandbox-client", "sandbox-client-secret")),
        "grant_type=client_credentials&scope=api%2Fread%20api%2Fwrite",
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let body = r.json();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    let access = body["access_token"].as_str().expect("token").to_owned();
    assert_eq!(body.as_object().map(|m| m.len()), Some(3), "{body}");

    let bearer = Client::bearer(&sandbox, &access);
    assert_eq!(bearer.get("/rest/v1/audiences").await.status, 200);
    let created = bearer
        .post(
            "/rest/v1/audiences",
            json!({"name": "Bearer Made", "reference": "bearer-made", "category": "structure"}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text());
    assert_eq!(sandbox.stats().tokens_issued, 1);
}

#[tokio::test]
async fn token_with_form_client_credentials_and_default_scope() {
    let (sandbox, _) = start().await;
    let r = token(
        sandbox.addr(),
        TOKEN_PATH,
        None,
        "grant_type=client_credentials&client_id=sandbox-client&client_secret=sandbox-client-secret",
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let access = r.json()["access_token"].as_str().expect("token").to_owned();
    // No scope = api/all: reads and writes pass.
    let bearer = Client::bearer(&sandbox, &access);
    assert_eq!(bearer.get("/rest/v1/tags").await.status, 200);
    let w = bearer
        .post(
            "/rest/v1/audiences",
            json!({"name": "S", "reference": "s-all", "category": "structure"}),
        )
        .await;
    assert_eq!(w.status, 201);
}

#[tokio::test]
async fn token_endpoint_errors_are_oauth_shaped() {
    let (sandbox, _) = start().await;
    let addr = sandbox.addr();
    let good = basic("sandbox-client", "sandbox-client-secret");

    let r = token(
        addr,
        TOKEN_PATH,
        Some(&basic("sandbox-client", "nope")),
        "grant_type=client_credentials",
    )
    .await;
    assert_eq!(r.status, 401);
    assert_eq!(r.json(), json!({"error": "invalid_client"}));

    let r = token(addr, TOKEN_PATH, None, "grant_type=client_credentials").await;
    assert_eq!(r.status, 401);
    assert_eq!(r.json(), json!({"error": "invalid_client"}));

    let r = token(
        addr,
        "/oauth2/token/eu-west-2_WrongTenant",
        Some(&good),
        "grant_type=client_credentials",
    )
    .await;
    assert_eq!(r.status, 401);
    assert_eq!(r.json(), json!({"error": "invalid_client"}));

    let r = token(addr, TOKEN_PATH, Some(&good), "grant_type=password").await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json(), json!({"error": "unsupported_grant_type"}));

    let r = token(
        addr,
        TOKEN_PATH,
        Some(&good),
        "grant_type=client_credentials&scope=api%2Fwebhooks",
    )
    .await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json(), json!({"error": "invalid_scope"}));

    let r = token(addr, TOKEN_PATH, Some(&good), "scope=api%2Fread").await;
    assert_eq!(r.status, 400);
    assert_eq!(r.json(), json!({"error": "invalid_request"}));

    // JSON instead of a form body.
    let r = try_request(
        addr,
        "POST",
        TOKEN_PATH,
        &[
            ("Authorization", &good),
            ("Content-Type", "application/json"),
        ],
        br#"{"grant_type":"client_credentials"}"#,
    )
    .await
    .expect("response");
    assert_eq!(r.status, 400);
    assert_eq!(r.json(), json!({"error": "invalid_request"}));
    assert_eq!(sandbox.stats().tokens_issued, 0);
}

#[tokio::test]
async fn read_only_token_cannot_write_and_write_only_cannot_read() {
    let (sandbox, _) = start().await;
    let state = sandbox.state();
    let read = Client::bearer(&sandbox, &state.issue_token("api/read").expect("token"));
    assert_eq!(read.get("/rest/v1/users?perPage=1").await.status, 200);
    let r = read
        .post(
            "/rest/v1/audiences",
            json!({"name": "Nope", "reference": "nope", "category": "structure"}),
        )
        .await;
    assert_error(&r, 403, "Forbidden");
    assert!(state.audience("nope").is_none());
    assert_error(
        &read.delete("/rest/v1/audiences/struct-sales").await,
        403,
        "Forbidden",
    );

    let write = Client::bearer(&sandbox, &state.issue_token("api/write").expect("token"));
    assert_error(&write.get("/rest/v1/users").await, 403, "Forbidden");
    let ok = write
        .post(
            "/rest/v1/audiences",
            json!({"name": "Yes", "reference": "yes", "category": "structure"}),
        )
        .await;
    assert_eq!(ok.status, 201);
}

#[tokio::test]
async fn unknown_expired_and_revoked_tokens_are_401() {
    let (sandbox, _) = start().await;
    let state = sandbox.state();
    let unknown = Client::bearer(&sandbox, "sbx.not-a-token");
    assert_error(&unknown.get("/rest/v1/users").await, 401, "Unauthorized");

    let t = state.issue_token("api/all").expect("token");
    let c = Client::bearer(&sandbox, &t);
    assert_eq!(c.get("/rest/v1/users?perPage=1").await.status, 200);
    state.expire_tokens();
    let r = c.get("/rest/v1/users?perPage=1").await;
    assert_error(&r, 401, "Unauthorized");
    assert!(
        r.header("www-authenticate")
            .is_some_and(|v| v.starts_with("Bearer"))
    );

    let t2 = state.issue_token("").expect("token");
    let c2 = Client::bearer(&sandbox, &t2);
    assert_eq!(c2.get("/rest/v1/users?perPage=1").await.status, 200);
    state.revoke_tokens();
    assert_error(
        &c2.get("/rest/v1/users?perPage=1").await,
        401,
        "Unauthorized",
    );
}

#[tokio::test]
async fn short_token_ttl_expires_by_itself() {
    let (sandbox, _) = start_with(SandboxConfig {
        token_ttl_secs: 1,
        ..SandboxConfig::default()
    })
    .await;
    let r = token(
        sandbox.addr(),
        TOKEN_PATH,
        Some(&basic("sandbox-client", "sandbox-client-secret")),
        "grant_type=client_credentials&scope=api%2Fall",
    )
    .await;
    assert_eq!(r.json()["expires_in"], 1);
    let c = Client::bearer(&sandbox, r.json()["access_token"].as_str().expect("token"));
    assert_eq!(c.get("/rest/v1/tags").await.status, 200);
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_error(&c.get("/rest/v1/tags").await, 401, "Unauthorized");
}
