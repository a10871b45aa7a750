//! Sandbox configuration: credentials, seed, fault injection and the switches
//! for behaviour the Thrive documentation leaves open.

use std::fmt;
use std::str::FromStr;

/// How the sandbox is set up. Build one with `SandboxConfig::default()` and
/// struct-update syntax: `SandboxConfig { empty: true, ..Default::default() }`.
#[derive(Clone, Debug, PartialEq)]
pub struct SandboxConfig {
    /// The tenant id: the Basic-auth username and the `{tenantId}` of the
    /// OAuth token path. Default `eu-west-2_SandboxDemo`.
    pub tenant_id: String,
    /// The API key: the Basic-auth password. Default `sandbox-api-key`.
    pub api_key: String,
    /// The OAuth 2.0 client id. Default `sandbox-client`.
    pub client_id: String,
    /// The OAuth 2.0 client secret. Default `sandbox-client-secret`.
    pub client_secret: String,
    /// Seed for the demo data, ids, tokens and fault rolls. Default 42.
    pub seed: u64,
    /// Start with an empty tenant: no users, audiences, content, assignments,
    /// completions, activities, CPD data or tags. Only the tenant's skill-level
    /// configuration (Beginner…Expert) is present, since that is tenant
    /// configuration rather than data. Default `false`.
    pub empty: bool,
    /// Faults injected from the start; change them later with
    /// [`crate::Sandbox::set_faults`]. Default: all off.
    pub faults: Faults,
    /// Faults also apply to `POST /oauth2/token/{tenantId}`. Default `false`:
    /// only `/rest/*` calls see faults.
    pub faults_on_token_endpoint: bool,
    /// What DELETE does to a structure that still has child audiences.
    pub delete_structure: DeleteStructureMode,
    /// How the delete-style calls (delete user, audience and assignment,
    /// remove member and manager) answer on success.
    pub delete_response: DeleteResponseMode,
    /// Lifetime of issued OAuth tokens, in seconds. Default 3600 (documented).
    pub token_ttl_secs: u64,
    /// Refuse member, manager and update writes to audiences that are not
    /// API-controlled (created in the UI) with 422. Not documented; default
    /// `false` (such writes are allowed).
    pub protect_ui_audiences: bool,
    /// The tenant default time zone given to users created without one.
    /// Default `Europe/London`.
    pub default_time_zone: String,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            tenant_id: "eu-west-2_SandboxDemo".to_owned(),
            api_key: "sandbox-api-key".to_owned(),
            client_id: "sandbox-client".to_owned(),
            client_secret: "sandbox-client-secret".to_owned(),
            seed: 42,
            empty: false,
            faults: Faults::default(),
            faults_on_token_endpoint: false,
            delete_structure: DeleteStructureMode::default(),
            delete_response: DeleteResponseMode::default(),
            token_ttl_secs: 3600,
            protect_ui_audiences: false,
            default_time_zone: "Europe/London".to_owned(),
        }
    }
}

impl SandboxConfig {
    /// The credentials a tool needs to talk to this sandbox.
    pub fn demo_credentials(&self) -> DemoCredentials {
        DemoCredentials {
            tenant_id: self.tenant_id.clone(),
            api_key: self.api_key.clone(),
            client_id: self.client_id.clone(),
            client_secret: self.client_secret.clone(),
        }
    }
}

/// The credentials of the sandbox tenant (Basic and OAuth).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoCredentials {
    /// Tenant id (Basic username, token path segment).
    pub tenant_id: String,
    /// API key (Basic password).
    pub api_key: String,
    /// OAuth client id.
    pub client_id: String,
    /// OAuth client secret.
    pub client_secret: String,
}

/// Failure injection. Rates are shares between 0 and 1 of the requests that
/// faults apply to (every `/rest/*` request, and the token endpoint when
/// [`SandboxConfig::faults_on_token_endpoint`] is set). Each request rolls, in
/// this order: drop, 429, 5xx; the first hit wins. Rolls use a PRNG seeded
/// from [`SandboxConfig::seed`], so a sequential run is reproducible.
/// Injected failures happen before authentication and never touch state.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Faults {
    /// Extra latency added before every affected request is handled, in ms.
    pub latency_ms: u64,
    /// Share of requests answered `429 Too Many Requests` with `Retry-After`.
    pub rate_429: f64,
    /// The `Retry-After` value (seconds) sent with injected 429s. Default 1.
    pub retry_after_secs: u64,
    /// Share of requests answered 500, 502 or 503 (chosen evenly).
    pub rate_5xx: f64,
    /// Share of requests whose connection is closed without any response.
    pub rate_drop: f64,
    /// When non-zero, response bodies are streamed in up to 8 chunks whose
    /// pauses add up to about this many milliseconds (headers go at once).
    pub slow_body_ms: u64,
}

impl Default for Faults {
    fn default() -> Self {
        Faults {
            latency_ms: 0,
            rate_429: 0.0,
            retry_after_secs: 1,
            rate_5xx: 0.0,
            rate_drop: 0.0,
            slow_body_ms: 0,
        }
    }
}

impl Faults {
    /// No faults at all (the default).
    pub fn none() -> Self {
        Faults::default()
    }

    /// Whether any fault is switched on.
    pub fn is_active(&self) -> bool {
        self.latency_ms > 0
            || self.rate_429 > 0.0
            || self.rate_5xx > 0.0
            || self.rate_drop > 0.0
            || self.slow_body_ms > 0
    }
}

/// Deleting a structure that has child audiences. The sources disagree
/// (operations.md, "Deleting an audience"): the seed says delete works only
/// without children; the docs' category text says children are deleted too.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DeleteStructureMode {
    /// Refuse with `409 Conflict` while child audiences exist (the seed's
    /// reading). The default.
    #[default]
    RefuseWithChildren,
    /// Delete the structure and every child audience in it (the docs'
    /// reading).
    Cascade,
}

impl FromStr for DeleteStructureMode {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "refuse" | "refuse-with-children" => Ok(DeleteStructureMode::RefuseWithChildren),
            "cascade" => Ok(DeleteStructureMode::Cascade),
            other => Err(format!(
                "unknown delete-structure mode `{other}` (use `refuse` or `cascade`)"
            )),
        }
    }
}

impl fmt::Display for DeleteStructureMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DeleteStructureMode::RefuseWithChildren => "refuse",
            DeleteStructureMode::Cascade => "cascade",
        })
    }
}

/// The success answer of delete-style calls, which is not documented.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DeleteResponseMode {
    /// `200 {"success": true}`. The default.
    #[default]
    JsonSuccess,
    /// `204 No Content` with an empty body.
    NoContent,
}

impl FromStr for DeleteResponseMode {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "json" | "200" => Ok(DeleteResponseMode::JsonSuccess),
            "empty" | "no-content" | "204" => Ok(DeleteResponseMode::NoContent),
            other => Err(format!(
                "unknown delete-response mode `{other}` (use `json` or `no-content`)"
            )),
        }
    }
}
