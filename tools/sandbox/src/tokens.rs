//! The table of issued OAuth tokens and their scopes. The token endpoint
//! and the Bearer check that use it are in `auth`.

use std::collections::HashMap;
use std::time::Duration;

use tokio::time::Instant;

use crate::rng::Rng;

/// What a token may do.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Scopes {
    /// May call GET endpoints.
    pub read: bool,
    /// May call POST/PATCH/DELETE endpoints.
    pub write: bool,
}

impl Scopes {
    /// Parses a space-separated scope list; `None` for an unknown scope.
    /// An absent or empty list grants `api/all`.
    pub(crate) fn parse(text: Option<&str>) -> Option<Scopes> {
        let text = text.map(str::trim).unwrap_or("");
        if text.is_empty() {
            return Some(Scopes {
                read: true,
                write: true,
            });
        }
        let mut scopes = Scopes::default();
        for scope in text.split_whitespace() {
            match scope {
                "api/all" => {
                    scopes.read = true;
                    scopes.write = true;
                }
                "api/read" => scopes.read = true,
                "api/write" => scopes.write = true,
                _ => return None,
            }
        }
        Some(scopes)
    }
}

#[derive(Clone, Debug)]
struct TokenInfo {
    scopes: Scopes,
    expires_at: Instant,
}

/// Issued tokens.
#[derive(Debug)]
pub(crate) struct TokenStore {
    tokens: HashMap<String, TokenInfo>,
    rng: Rng,
}

impl TokenStore {
    /// An empty store whose tokens derive from `seed`.
    pub(crate) fn new(seed: u64) -> Self {
        TokenStore {
            tokens: HashMap::new(),
            rng: Rng::new(seed, 0x70C),
        }
    }

    /// Issues a token valid for `ttl`.
    pub(crate) fn issue(&mut self, scopes: Scopes, ttl: Duration) -> String {
        let token = format!("sbx.{}", self.rng.hex(48));
        let now = Instant::now();
        let expires_at = now
            .checked_add(ttl)
            .unwrap_or(now + Duration::from_secs(86_400 * 365));
        self.tokens
            .insert(token.clone(), TokenInfo { scopes, expires_at });
        token
    }

    /// The scopes of a valid token; `None` when unknown or expired.
    pub(crate) fn check(&self, token: &str) -> Option<Scopes> {
        self.tokens
            .get(token)
            .filter(|t| t.expires_at > Instant::now())
            .map(|t| t.scopes)
    }

    /// Forgets every token.
    pub(crate) fn revoke_all(&mut self) {
        self.tokens.clear();
    }

    /// Makes every issued token expired.
    pub(crate) fn expire_all(&mut self) {
        let now = Instant::now();
        for t in self.tokens.values_mut() {
            t.expires_at = now;
        }
    }
}
