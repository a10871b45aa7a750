//! `thrive_test_connection`: the cheapest authenticated read, reported as data.

use crate::api::{ApiRequest, ApiResponse, CallMeta, DEFAULT_HOST};
use crate::block::Block;
use crate::error::{Error, ErrorCode, Result};
use crate::tool::{Hints, Tool};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Check that the tenant id, API key (or OAuth client) and host work.
pub struct TestConnection;

/// Inputs of [`TestConnection`]: only the connection inputs.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct TestConnectionParams {}

/// What the connection test found.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct TestConnectionOutput {
    /// True when an authenticated read succeeded.
    pub ok: bool,
    /// `basic` (tenant id and API key) or `oauth2` (client credentials).
    pub auth_method: String,
    /// The origin called, e.g. `https://public.api.learn.link`.
    pub host: String,
    /// `production`, `production-mea`, `staging`, `staging-mea`, or `custom`
    /// for an operator-allowed host such as a sandbox.
    pub region: String,
    /// Milliseconds from the first attempt to the answer.
    pub round_trip_ms: u64,
    /// The HTTP status Thrive answered with, when it answered.
    pub status: Option<u16>,
    /// The error code when the test failed (`unauthorized`, `forbidden`,
    /// `host_not_allowed`, `transport`, `timeout`, `auth_failed`, ...).
    pub code: Option<String>,
    /// Why the test failed, and what to check.
    pub reason: Option<String>,
}

/// The region of a base URL.
fn region(origin: &str) -> &'static str {
    match origin.strip_prefix("https://").unwrap_or_default() {
        DEFAULT_HOST => "production",
        "public.api.mea.learn.tech" => "production-mea",
        "public.api.learnstaging.link" => "staging",
        "public.api.meastaging.learn.tech" => "staging-mea",
        _ => "custom",
    }
}

/// A 2xx answer: the connection works; `meta` tells where it went and how long it took.
impl crate::wire::FromResponse for TestConnectionOutput {
    fn from_response(response: ApiResponse) -> Result<Self> {
        Ok(TestConnectionOutput::of_call(
            &response.meta,
            Some(response.status),
            None,
        ))
    }
}

impl TestConnectionOutput {
    /// The output for a call described by `meta`: `ok` when no failure
    /// (`code`, `reason`) is given.
    fn of_call(meta: &CallMeta, status: Option<u16>, failure: Option<(String, String)>) -> Self {
        let (code, reason) = failure.unzip();
        Self {
            ok: code.is_none(),
            auth_method: meta.auth.to_owned(),
            host: meta.origin.clone(),
            region: region(&meta.origin).to_owned(),
            round_trip_ms: u64::try_from(meta.elapsed.as_millis()).unwrap_or(u64::MAX),
            status,
            code,
            reason,
        }
    }
}

impl Block for TestConnection {
    type Params = TestConnectionParams;
    type Output = TestConnectionOutput;

    const ID: &'static str = "thrive_test_connection";
    const TITLE: &'static str = "Test connection";
    const DESCRIPTION: &'static str = "Check that the Thrive credentials and host work, with the auth method, region and round-trip time.";
    const ENDPOINT: &'static str = "GET /rest/v1/audiences?page=1&perPage=1";
    const HINTS: Hints = Hints::READ;
}

impl Tool for TestConnection {
    /// One audience is the smallest documented authenticated read
    /// (`perPage` is documented for audiences; the paging of tags is disputed).
    fn request(_: &Self::Params) -> Result<ApiRequest> {
        // The fixed query (`page=1&perPage=1`) comes from the template.
        ApiRequest::endpoint(Self::ENDPOINT, &[])
    }

    fn recover(error: Error, meta: &CallMeta) -> Result<Self::Output> {
        let hint = match error.code() {
            ErrorCode::Unauthorized => {
                "the tenant id or API key (or client secret) is wrong, expired or for another environment"
            }
            ErrorCode::Forbidden => {
                "the credentials work but lack a permission; with OAuth, check the scope (reads need api/read or api/all)"
            }
            ErrorCode::AuthFailed => {
                "the OAuth token endpoint refused the client id or client secret"
            }
            ErrorCode::HostNotAllowed => {
                "the host is not a Thrive region host and is not listed in THRIVE_ALLOWED_HOSTS"
            }
            ErrorCode::Transport => "the host could not be reached",
            ErrorCode::Timeout => "the host did not answer in time",
            ErrorCode::InvalidInput => return Err(error),
            _ => "Thrive answered with an error",
        };
        Ok(TestConnectionOutput::of_call(
            meta,
            error.status(),
            Some((
                error.code().as_str().to_owned(),
                format!("{hint}: {}", error.message()),
            )),
        ))
    }
}

crate::register_tool!(TestConnection);
