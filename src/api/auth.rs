//! Authentication: Basic (tenant id and API key) or OAuth 2.0 client
//! credentials with a shared token cache.
//!
//! Tokens are cached per (token origin, tenant, client, scope). Concurrent
//! calls that need the same token wait on one refresh instead of each
//! fetching their own. A token is renewed 60 s before it expires, and once
//! more when Thrive answers 401 to it.

use crate::api::Origin;
use crate::error::{Error, ErrorCode, Result};
use crate::params::{Connection, Secret};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The scope requested when the input names none.
pub const DEFAULT_SCOPE: &str = "api/all";

/// Renew this long before a token's expiry.
const EARLY_RENEWAL: Duration = Duration::from_secs(60);

/// How a call authenticates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthMethod {
    /// `Authorization: Basic base64(tenantId:apiKey)`.
    Basic,
    /// `Authorization: Bearer <token>` from the client-credentials flow.
    OAuth,
}

impl AuthMethod {
    /// `"basic"` or `"oauth2"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Basic => "basic",
            Self::OAuth => "oauth2",
        }
    }

    /// The method a connection uses.
    pub fn of(connection: &Connection) -> Self {
        if connection.client_id.is_some() {
            Self::OAuth
        } else {
            Self::Basic
        }
    }
}

/// The Basic `Authorization` header value.
pub fn basic_header(user: &str, password: &Secret) -> Secret {
    Secret::new(format!(
        "Basic {}",
        STANDARD.encode(format!("{user}:{}", password.expose()))
    ))
}

#[derive(Clone)]
struct Token {
    value: Secret,
    renew_at: Instant,
}

type Slot = Arc<tokio::sync::Mutex<Option<Token>>>;

/// The process-wide cache of OAuth tokens (cheap to clone; clones share).
///
/// The key includes a keyed hash of the client secret, so a call with a
/// wrong secret never gets a token that another call's right secret earned.
#[derive(Clone, Default)]
pub struct TokenCache {
    slots: Arc<Mutex<HashMap<String, Slot>>>,
    fetched: Arc<std::sync::atomic::AtomicU64>,
    hasher: std::collections::hash_map::RandomState,
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    #[serde(default)]
    expires_in: Option<u64>,
}

impl TokenCache {
    fn slot(&self, key: &str) -> Slot {
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        slots.entry(key.to_owned()).or_default().clone()
    }

    /// How many tokens this cache has fetched (for tests and diagnostics).
    pub fn fetched(&self) -> u64 {
        self.fetched.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// A valid bearer header for the connection, fetching a token if none
    /// is cached or the cached one is `stale` (the value Thrive just refused).
    pub(crate) async fn bearer(
        &self,
        http: &reqwest::Client,
        origin: &Origin,
        connection: &Connection,
        stale: Option<&Secret>,
        timeout: Duration,
    ) -> Result<Secret> {
        let client_id = connection.client_id.as_deref().unwrap_or_default();
        let scope = connection.scope.as_deref().unwrap_or(DEFAULT_SCOPE);
        // SipHash with per-process random keys: the secret never appears in
        // the key, and nobody can aim for a collision.
        let secret = std::hash::BuildHasher::hash_one(&self.hasher, connection.api_key.expose());
        let key = format!(
            "{origin}|{}|{client_id}|{scope}|{secret:016x}",
            connection.tenant_id
        );
        let slot = self.slot(&key);
        let mut guard = slot.lock().await;
        if let Some(token) = guard.as_ref() {
            let refused = stale.is_some_and(|s| s == &token.value);
            if !refused && Instant::now() < token.renew_at {
                return Ok(token.value.clone());
            }
        }
        let token = self
            .fetch(http, origin, connection, client_id, scope, timeout)
            .await?;
        let header = token.value.clone();
        *guard = Some(token);
        Ok(header)
    }

    async fn fetch(
        &self,
        http: &reqwest::Client,
        origin: &Origin,
        connection: &Connection,
        client_id: &str,
        scope: &str,
        timeout: Duration,
    ) -> Result<Token> {
        let tenant = crate::api::segment("tenantId", &connection.tenant_id)?;
        let url = format!("{}/oauth2/token/{tenant}", origin.base_url());
        let body = format!(
            "grant_type=client_credentials&scope={}",
            percent_encoding::utf8_percent_encode(scope, percent_encoding::NON_ALPHANUMERIC)
        );
        let basic = basic_header(client_id, &connection.api_key);
        tracing::debug!(%origin, "fetching OAuth token");
        self.fetched
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let response = http
            .post(url)
            .header(reqwest::header::AUTHORIZATION, basic.expose())
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .header(reqwest::header::ACCEPT, "application/json")
            .timeout(timeout)
            .body(body)
            .send()
            .await
            .map_err(|e| {
                let code = if e.is_timeout() {
                    ErrorCode::Timeout
                } else {
                    ErrorCode::Transport
                };
                let error = Error::new(
                    code,
                    format!(
                        "the OAuth token endpoint could not be reached: {}",
                        crate::api::runtime::describe(&e)
                    ),
                )
                .with_attempts(1);
                // Asking for a token changes nothing, so it is safe to ask
                // again, unless the host's certificate is not trusted.
                if crate::api::runtime::is_certificate_error(&e) {
                    error.with_retry(crate::error::Delivery::NotSent, false)
                } else {
                    error
                }
            })?;
        let status = response.status().as_u16();
        let bytes = response.bytes().await.unwrap_or_default();
        if !(200..300).contains(&status) {
            let body: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
            let reason = body
                .get("error")
                .and_then(|v| v.as_str())
                .unwrap_or("refused")
                .to_owned();
            return Err(Error::new(
                ErrorCode::AuthFailed,
                format!("the OAuth token endpoint refused the client credentials ({reason})"),
            )
            .with_status(status)
            .with_attempts(1));
        }
        let parsed: TokenResponse = serde_json::from_slice(&bytes).map_err(|_| {
            Error::new(
                ErrorCode::AuthFailed,
                "the OAuth token endpoint answered without an access_token",
            )
            .with_status(status)
        })?;
        let lifetime = Duration::from_secs(parsed.expires_in.unwrap_or(3600));
        Ok(Token {
            value: Secret::new(format!("Bearer {}", parsed.access_token)),
            renew_at: Instant::now() + lifetime.saturating_sub(EARLY_RENEWAL),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_header_matches_documented_example() {
        let h = basic_header("eu-west-2_AbcdEfghI", &Secret::new("s3cr3t"));
        assert_eq!(h.expose(), "Basic ZXUtd2VzdC0yX0FiY2RFZmdoSTpzM2NyM3Q=");
        assert_eq!(format!("{h:?}"), "Secret(***)");
    }
}
