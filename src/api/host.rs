//! Which hosts a step may talk to.
//!
//! A workflow author fills in `host`, but the tenant's API key goes wherever
//! that host points. So: the four documented region hosts are always allowed;
//! any other host must be listed by the operator in `THRIVE_ALLOWED_HOSTS`;
//! plain `http://` is accepted only for loopback addresses.

use crate::error::{Error, ErrorCode, Result};
use std::fmt;
use std::net::IpAddr;

/// The production host for every region except MEA: the default `host`.
pub const DEFAULT_HOST: &str = "public.api.learn.link";

/// The documented REST API hosts (production and staging, two regions each).
pub const REGION_HOSTS: [&str; 4] = [
    "public.api.learn.link",
    "public.api.mea.learn.tech",
    "public.api.learnstaging.link",
    "public.api.meastaging.learn.tech",
];

/// The documented user API hosts (inbound provisioning, `POST /webhooks`),
/// twins of [`REGION_HOSTS`] in the same order.
pub const USER_API_HOSTS: [&str; 4] = [
    "user.api.learn.link",
    "user.api.mea.learn.tech",
    "user.api.learnstaging.link",
    "user.api.meastaging.learn.tech",
];

/// The environment variable with the operator's extra allowed hosts.
pub const ALLOWED_HOSTS_ENV: &str = "THRIVE_ALLOWED_HOSTS";

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

/// The operator's host policy: region hosts plus an explicit allow-list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HostPolicy {
    extra: Vec<Origin>,
}

impl HostPolicy {
    /// Only the four region hosts.
    pub fn regions_only() -> Self {
        Self::default()
    }

    /// Region hosts plus the hosts listed in `THRIVE_ALLOWED_HOSTS`.
    /// Entries that do not parse are skipped with a warning.
    pub fn from_env() -> Self {
        let mut policy = Self::default();
        if let Ok(list) = std::env::var(ALLOWED_HOSTS_ENV) {
            for entry in list.split(',').map(str::trim).filter(|e| !e.is_empty()) {
                match Origin::parse(entry) {
                    Ok(origin) => policy.extra.push(origin),
                    Err(e) => {
                        tracing::warn!(entry, error = %e, "ignoring entry in {ALLOWED_HOSTS_ENV}")
                    }
                }
            }
        }
        policy
    }

    /// Returns the policy with `origin` allowed as well.
    pub fn allow(mut self, origin: Origin) -> Self {
        self.extra.push(origin);
        self
    }

    /// The extra (non-region) origins allowed.
    pub fn extra(&self) -> &[Origin] {
        &self.extra
    }

    /// Resolves `host` for a request of `version`: as [`HostPolicy::resolve`],
    /// except that [`ApiVersion::UserApi`](crate::api::ApiVersion::UserApi)
    /// requests go to the user API hosts (absent: `user.api.learn.link`; a
    /// public region host: its `user.api` twin), which are always allowed.
    pub fn resolve_for(
        &self,
        host: Option<&str>,
        version: crate::api::ApiVersion,
    ) -> Result<Origin> {
        if version != crate::api::ApiVersion::UserApi {
            return self.resolve(host);
        }
        let mut origin = Origin::parse(host.unwrap_or(USER_API_HOSTS[0]))?;
        if origin.scheme == Scheme::Https && origin.port.is_none() {
            if let Some(i) = REGION_HOSTS.iter().position(|h| *h == origin.host) {
                origin.host = USER_API_HOSTS[i].to_owned();
            }
            if USER_API_HOSTS.contains(&origin.host.as_str()) {
                return Ok(origin);
            }
        }
        self.resolve(Some(&origin.to_string()))
    }

    /// Resolves the `host` input (absent: the default host) to an allowed
    /// origin, or `host_not_allowed`.
    pub fn resolve(&self, host: Option<&str>) -> Result<Origin> {
        let origin = Origin::parse(host.unwrap_or(DEFAULT_HOST))?;
        let region = origin.scheme == Scheme::Https
            && origin.port.is_none()
            && REGION_HOSTS.contains(&origin.host.as_str());
        if region || self.extra.contains(&origin) {
            if origin.scheme == Scheme::Http && !origin.is_loopback() {
                return Err(Error::new(
                    ErrorCode::HostNotAllowed,
                    format!("{origin} is plain http; http:// is only allowed for loopback hosts"),
                ));
            }
            return Ok(origin);
        }
        if origin.scheme == Scheme::Http && REGION_HOSTS.contains(&origin.host.as_str()) {
            return Err(Error::new(
                ErrorCode::HostNotAllowed,
                format!(
                    "{origin} is plain http; Thrive region hosts are https only: give `{}` (https is the default)",
                    origin.host
                ),
            ));
        }
        Err(Error::new(
            ErrorCode::HostNotAllowed,
            format!(
                "host {origin} is not a Thrive region host; an operator can allow it by listing it in {ALLOWED_HOSTS_ENV}"
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_names_and_origins() {
        let o = Origin::parse("Public.API.learn.link").unwrap();
        assert_eq!(o.to_string(), "https://public.api.learn.link");
        let o = Origin::parse("http://127.0.0.1:18080/").unwrap();
        assert_eq!(o.to_string(), "http://127.0.0.1:18080");
        assert!(o.is_loopback());
        assert_eq!(
            Origin::parse("https://[::1]:8443").unwrap().to_string(),
            "https://[::1]:8443"
        );
        assert_eq!(Origin::parse("https://x.example:443").unwrap().port, None);
    }

    #[test]
    fn refuses_smuggled_urls() {
        for bad in [
            "evil.example/rest",
            "public.api.learn.link@evil.example",
            "https://evil.example?x=public.api.learn.link",
            "ftp://public.api.learn.link",
            "evil.example#public.api.learn.link",
            "host:99999",
            "",
            "bad_host!",
        ] {
            assert!(Origin::parse(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn region_hosts_always_allowed_others_need_listing() {
        let p = HostPolicy::regions_only();
        assert_eq!(p.resolve(None).unwrap().host, DEFAULT_HOST);
        for h in REGION_HOSTS {
            assert!(p.resolve(Some(h)).is_ok());
        }
        let e = p.resolve(Some("evil.example")).unwrap_err();
        assert_eq!(e.code(), ErrorCode::HostNotAllowed);
        assert!(p.resolve(Some("http://public.api.learn.link")).is_err());
        assert!(p.resolve(Some("public.api.learn.link:8443")).is_err());

        let local = Origin::parse("http://127.0.0.1:18080").unwrap();
        let p = p.allow(local);
        assert!(p.resolve(Some("http://127.0.0.1:18080")).is_ok());
        assert!(p.resolve(Some("http://127.0.0.1:18081")).is_err());
    }

    #[test]
    fn http_only_for_loopback_even_when_listed() {
        let p = HostPolicy::regions_only().allow(Origin::parse("http://intranet.example").unwrap());
        let e = p.resolve(Some("http://intranet.example")).unwrap_err();
        assert_eq!(e.code(), ErrorCode::HostNotAllowed);
    }
}
