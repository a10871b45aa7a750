//! A tiny HTTP/1.1 client over `tokio::net::TcpStream`, independent of any
//! Thrive client: one request per connection (`Connection: close`), raw
//! status, headers and body.

use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;
use thrive_sandbox::{Sandbox, SandboxConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A received response.
#[derive(Debug, Clone)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Resp {
    /// The body parsed as JSON (panics with the body text otherwise).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.text()))
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// A header value (case-insensitive name).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn decode_chunked(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(line_end) = find(data, b"\r\n") {
        let size_text = String::from_utf8_lossy(&data[..line_end]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("0").trim(), 16)
            .unwrap_or(0);
        data = &data[line_end + 2..];
        if size == 0 || data.len() < size {
            break;
        }
        out.extend_from_slice(&data[..size]);
        data = &data[(size + 2).min(data.len())..];
    }
    out
}

/// Sends one request; `Err` when the server closed without a response.
pub async fn try_request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> io::Result<Resp> {
    let mut stream = TcpStream::connect(addr).await?;
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nAccept: application/json\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body).await?;
    let mut raw = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut raw))
        .await
        .map_err(|_| io::Error::new(io::ErrorKind::TimedOut, "no response in 10 s"))??;
    if raw.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "connection closed without a response",
        ));
    }
    let split = find(&raw, b"\r\n\r\n")
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "no header end"))?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "bad status line"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let rest = &raw[split + 4..];
    let chunked = headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    let body = if chunked {
        decode_chunked(rest)
    } else {
        rest.to_vec()
    };
    Ok(Resp {
        status,
        headers,
        body,
    })
}

/// Basic credentials header value.
pub fn basic(user: &str, pass: &str) -> String {
    format!("Basic {}", STANDARD.encode(format!("{user}:{pass}")))
}

/// A client bound to one sandbox and one `Authorization` value.
#[derive(Clone, Debug)]
pub struct Client {
    pub addr: SocketAddr,
    pub auth: Option<String>,
}

impl Client {
    /// With the sandbox's Basic credentials.
    pub fn basic(sandbox: &Sandbox) -> Client {
        let c = sandbox.demo_credentials();
        Client {
            addr: sandbox.addr(),
            auth: Some(basic(&c.tenant_id, &c.api_key)),
        }
    }

    /// With a Bearer token.
    pub fn bearer(sandbox: &Sandbox, token: &str) -> Client {
        Client {
            addr: sandbox.addr(),
            auth: Some(format!("Bearer {token}")),
        }
    }

    /// Without credentials.
    pub fn anonymous(sandbox: &Sandbox) -> Client {
        Client {
            addr: sandbox.addr(),
            auth: None,
        }
    }

    /// Any request; panics if the connection fails.
    pub async fn send(&self, method: &str, path: &str, body: Option<&Value>) -> Resp {
        let payload = body.map(|b| b.to_string()).unwrap_or_default();
        let mut headers: Vec<(&str, &str)> = Vec::new();
        if let Some(a) = &self.auth {
            headers.push(("Authorization", a));
        }
        if body.is_some() {
            headers.push(("Content-Type", "application/json"));
        }
        try_request(self.addr, method, path, &headers, payload.as_bytes())
            .await
            .unwrap_or_else(|e| panic!("{method} {path}: {e}"))
    }

    pub async fn get(&self, path: &str) -> Resp {
        self.send("GET", path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Resp {
        self.send("POST", path, Some(&body)).await
    }

    pub async fn patch(&self, path: &str, body: Value) -> Resp {
        self.send("PATCH", path, Some(&body)).await
    }

    pub async fn delete(&self, path: &str) -> Resp {
        self.send("DELETE", path, None).await
    }

    pub async fn delete_with(&self, path: &str, body: Value) -> Resp {
        self.send("DELETE", path, Some(&body)).await
    }
}

/// Starts a sandbox with `config` and a Basic client for it.
pub async fn start_with(config: SandboxConfig) -> (Sandbox, Client) {
    let sandbox = Sandbox::start(config).await.expect("sandbox starts");
    let client = Client::basic(&sandbox);
    (sandbox, client)
}

/// Starts the default seeded sandbox.
pub async fn start() -> (Sandbox, Client) {
    start_with(SandboxConfig::default()).await
}

/// Asserts a Thrive error body with `status` and its reason phrase.
#[track_caller]
pub fn assert_error(resp: &Resp, status: u16, phrase: &str) {
    assert_eq!(resp.status, status, "body: {}", resp.text());
    let body = resp.json();
    assert_eq!(body["status"], status, "body: {body}");
    assert_eq!(body["error"], phrase, "body: {body}");
    assert!(
        body["message"].is_string() || body["message"].is_object(),
        "message must be a string or object: {body}"
    );
}

/// Percent-encodes one path segment.
pub fn enc(segment: &str) -> String {
    let mut out = String::new();
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
