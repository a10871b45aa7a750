//! Whom a request was sent to and from: its `Host` (and an absolute URI's
//! authority) against the names this server answers to, and its `Origin`,
//! `Referer` and `Sec-Fetch-Site` against the server's own origin and the
//! ones the operator allows (points 1 and 2 of the [guard](super)).

use crate::host::server::conn::ConnInfo;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, Uri, header};
use std::net::IpAddr;
use std::time::Duration;

/// The names and origins a server answers to besides its own, read once
/// from [`Access`](super::Access).
#[derive(Debug)]
pub(super) struct Allowed {
    any_host: bool,
    hosts: Vec<String>,
    any_origin: bool,
    origins: Vec<String>,
}

impl Allowed {
    /// The allowed `hosts` (names, with or without a port; `*` for any) and
    /// `origins` (`scheme://host[:port]`; `*` for any).
    pub(super) fn new(hosts: &[String], origins: &[String]) -> Self {
        Self {
            any_host: hosts.iter().any(|h| h.trim() == "*"),
            hosts: hosts
                .iter()
                .map(|h| strip_port(h.trim()).to_ascii_lowercase())
                .filter(|h| !h.is_empty() && h != "*")
                .collect(),
            any_origin: origins.iter().any(|o| o.trim() == "*"),
            origins: origins
                .iter()
                .filter_map(|o| normalise_origin(o.trim()))
                .collect(),
        }
    }

    /// The CORS layer for the allowed foreign origins, if any are allowed.
    pub(super) fn cors(&self) -> Option<tower_http::cors::CorsLayer> {
        use tower_http::cors::{AllowOrigin, CorsLayer};
        if !self.any_origin && self.origins.is_empty() {
            return None;
        }
        let allow = if self.any_origin {
            AllowOrigin::any()
        } else {
            AllowOrigin::list(
                self.origins
                    .iter()
                    .filter_map(|o| HeaderValue::from_str(o).ok()),
            )
        };
        Some(
            CorsLayer::new()
                .allow_origin(allow)
                .allow_methods([Method::GET, Method::POST])
                .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE])
                .max_age(Duration::from_secs(600)),
        )
    }

    /// Whether the server answers to `host`: a loopback name or address,
    /// the address `conn` came in on, or a name the operator allows.
    pub(super) fn host_allowed(&self, host: &str, conn: Option<&ConnInfo>) -> bool {
        let name = strip_port(host).to_ascii_lowercase();
        if self.any_host || name == "localhost" || name.ends_with(".localhost") {
            return true;
        }
        let bare = name.trim_start_matches('[').trim_end_matches(']');
        if let Ok(ip) = bare.parse::<IpAddr>()
            && (ip.is_loopback() || conn.is_some_and(|c| same_ip(c.local.ip(), ip)))
        {
            return true;
        }
        self.hosts.contains(&name)
    }

    /// Whether a request from `origin` is taken (any origin with `*`).
    pub(super) fn origin_allowed(&self, origin: &str, host: Option<&str>) -> bool {
        self.any_origin || self.own_or_listed(origin, host)
    }

    /// Whether `origin` is the server's own (for `host`) or one the operator
    /// listed by name (not merely allowed by `*`).
    pub(super) fn own_or_listed(&self, origin: &str, host: Option<&str>) -> bool {
        let Some(origin) = normalise_origin(origin) else {
            return false;
        };
        if let Some(host) = host {
            // Same origin: the browser asked this server by the name in its Host.
            let same = normalise_origin(&format!("http://{host}")).as_deref() == Some(&origin)
                || normalise_origin(&format!("https://{host}")).as_deref() == Some(&origin);
            if same {
                return true;
            }
        }
        self.origins.contains(&origin)
    }
}

fn same_ip(a: IpAddr, b: IpAddr) -> bool {
    let canon = |ip: IpAddr| match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    };
    canon(a) == canon(b)
}

/// `host[:port]` without the port (`[v6]:port` keeps its brackets).
pub(super) fn strip_port(authority: &str) -> &str {
    if authority.starts_with('[') {
        return authority
            .find(']')
            .map_or(authority, |end| &authority[..=end]);
    }
    match authority.rsplit_once(':') {
        Some((name, port)) if port.chars().all(|c| c.is_ascii_digit()) => name,
        _ => authority,
    }
}

/// `scheme://host[:port]` in lower case, without a default port; `None`
/// for anything that is not an http(s) origin.
pub(super) fn normalise_origin(origin: &str) -> Option<String> {
    let uri: Uri = origin.parse().ok()?;
    let scheme = uri.scheme_str()?.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    if uri
        .path_and_query()
        .is_some_and(|p| p.as_str() != "/" && !p.as_str().is_empty())
    {
        return None;
    }
    let host = uri.host()?.to_ascii_lowercase();
    let default = if scheme == "https" { 443 } else { 80 };
    Some(match uri.port_u16() {
        Some(port) if port != default => format!("{scheme}://{host}:{port}"),
        _ => format!("{scheme}://{host}"),
    })
}

/// Why a request's `Host` cannot be checked.
pub(super) fn host_problem(request: &Request) -> Option<&'static str> {
    let mut hosts = request.headers().get_all(header::HOST).iter();
    let first = hosts.next();
    if hosts.next().is_some() {
        return Some("the request has more than one Host header");
    }
    let Some(first) = first else {
        return Some("the request has no Host header; it must name this server");
    };
    let readable = first
        .to_str()
        .ok()
        .filter(|v| !v.trim().is_empty() && v.bytes().all(|b| b.is_ascii_graphic()));
    if readable.is_none() {
        return Some("the Host header is empty or not visible ASCII");
    }
    None
}

/// The names the request was sent to: its `Host`, and an absolute URI's
/// authority when it has one.
pub(super) fn request_hosts(request: &Request) -> Vec<String> {
    let mut names: Vec<String> = request
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .into_iter()
        .collect();
    if let Some(authority) = request.uri().authority() {
        names.push(authority.as_str().to_owned());
    }
    names
}

/// The origin (`scheme://host[:port]`) of a `Referer` URL.
pub(super) fn referer_origin(referer: &str) -> Option<String> {
    let uri: Uri = referer.parse().ok()?;
    let scheme = uri.scheme_str()?;
    let authority = uri.authority()?;
    Some(format!("{scheme}://{authority}"))
}

/// The `Sec-Fetch-Site` a browser sent, if any.
pub(super) fn fetch_site(headers: &HeaderMap) -> Option<&str> {
    headers.get("sec-fetch-site").and_then(|v| v.to_str().ok())
}
