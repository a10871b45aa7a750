//! Where requests go: a scheme, host and port, parsed once.
//!
//! Which origins a step may use is the host policy's business
//! ([`crate::api::HostPolicy`]); this module only parses and prints them.

use crate::error::{Error, Result};
use std::fmt;
use std::net::IpAddr;

/// URL scheme of an [`Origin`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scheme {
    /// `https` (the default).
    Https,
    /// `http`, for loopback only.
    Http,
}

/// A scheme, host and port: where requests go.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Origin {
    /// `http` or `https`.
    pub scheme: Scheme,
    /// The host name or IP literal, lower-cased, IPv6 without brackets.
    pub host: String,
    /// The port, if not the scheme's default.
    pub port: Option<u16>,
}

impl Origin {
    /// Parses a bare host name (`public.api.learn.link`, HTTPS implied), a
    /// `host:port`, or an origin (`http://127.0.0.1:18080`). A trailing `/`
    /// is tolerated; any other path, query, fragment or user-info is refused.
    pub fn parse(input: &str) -> Result<Self> {
        let bad = |why: &str| Error::field("/host", format!("host {why}"));
        let text = input.trim();
        if text.is_empty() {
            return Err(bad("is empty"));
        }
        let (scheme, rest) = match text.split_once("://") {
            Some((s, rest)) => match s.to_ascii_lowercase().as_str() {
                "https" => (Scheme::Https, rest),
                "http" => (Scheme::Http, rest),
                _ => return Err(bad("must use https:// (or http:// for loopback)")),
            },
            None => (Scheme::Https, text),
        };
        let rest = rest.strip_suffix('/').unwrap_or(rest);
        if rest.is_empty() {
            return Err(bad("has no host name"));
        }
        if rest.contains(['/', '?', '#', '@', '\\', ' ', '%']) || rest.chars().any(char::is_control)
        {
            return Err(bad(
                "must be a host name or an origin such as https://public.api.learn.link, without path, query or credentials",
            ));
        }
        let (host, port) = if let Some(v6) = rest.strip_prefix('[') {
            let (addr, after) = v6
                .split_once(']')
                .ok_or_else(|| bad("has an unclosed '['"))?;
            let port = match after.strip_prefix(':') {
                Some(p) => Some(p),
                None if after.is_empty() => None,
                None => return Err(bad("is malformed")),
            };
            (addr.to_owned(), port)
        } else {
            match rest.rsplit_once(':') {
                Some((h, p)) => (h.to_owned(), Some(p)),
                None => (rest.to_owned(), None),
            }
        };
        let port = match port {
            Some(p) => Some(
                p.parse::<u16>()
                    .ok()
                    .filter(|p| *p != 0)
                    .ok_or_else(|| bad("has an invalid port"))?,
            ),
            None => None,
        };
        let host = host.to_ascii_lowercase();
        let valid_name = !host.is_empty()
            && (host.parse::<IpAddr>().is_ok()
                || host.split('.').all(|l| {
                    !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                }));
        if !valid_name {
            return Err(bad("is not a valid host name"));
        }
        let port = match (scheme, port) {
            (Scheme::Https, Some(443)) | (Scheme::Http, Some(80)) => None,
            (_, p) => p,
        };
        Ok(Self { scheme, host, port })
    }

    /// Whether the host is a loopback address (`127.0.0.0/8`, `::1`, `localhost`).
    pub fn is_loopback(&self) -> bool {
        self.host == "localhost"
            || self
                .host
                .parse::<IpAddr>()
                .map(|ip| ip.is_loopback())
                .unwrap_or(false)
    }

    /// The base URL, e.g. `https://public.api.learn.link` (no trailing slash).
    pub fn base_url(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = match self.scheme {
            Scheme::Https => "https",
            Scheme::Http => "http",
        };
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        match self.port {
            Some(p) => write!(f, "{scheme}://{host}:{p}"),
            None => write!(f, "{scheme}://{host}"),
        }
    }
}
