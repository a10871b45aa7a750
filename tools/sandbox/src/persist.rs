//! A sandbox that keeps its state across restarts: a state file.
//!
//! The file is a **journal of changes**: every write request (`POST`,
//! `PATCH`, `PUT`, `DELETE` under `/rest/`) that the tenant's handlers
//! processed, in the order they were processed. At start the sandbox seeds
//! its tenant as usual (same seed, same `empty` flag) and replays the
//! journal through the same handlers, so the state after a restart is the
//! state before it: the same ids (id generation is deterministic), users,
//! audiences, members, assignments and so on. Replaying through the handlers
//! rather than dumping the in-memory records keeps the file valid as the
//! data model grows, and keeps every invariant the handlers maintain.
//!
//! Choices:
//! - Requests refused before reaching a handler (401, 403 scope, injected
//!   429 or 5xx faults, dropped connections) are not recorded: they changed
//!   nothing. Handler answers, including 4xx and 207, are recorded, so a
//!   replay makes exactly the same calls.
//! - Timestamps (`createdAt`, `updatedAt`, ...) of replayed records are
//!   those of the replay, not of the original call.
//! - Writes are serialised while a state file is in use, and the file is
//!   saved after every recorded write, atomically (a temporary file in the
//!   same folder, then a rename), so a crash leaves the old or the new file,
//!   never half of one.
//! - Faults are off during the replay and restored afterwards; the request
//!   counters start at zero after it.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{Next, from_fn_with_state};
use axum::response::Response;
use serde::{Deserialize, Serialize};
use tower_service::Service;

use crate::config::{Faults, SandboxConfig};
use crate::state::SandboxState;

/// The `format` tag of a state file.
const FORMAT: &str = "thrive-sandbox-state";
/// The version of the file layout.
const VERSION: u32 = 1;
/// The largest request body recorded (larger ones are refused by the
/// handlers' own limits long before this).
const MAX_BODY: usize = 16 * 1024 * 1024;

/// The state file's content.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
struct StateFile {
    format: String,
    version: u32,
    /// The seed the tenant was populated with.
    seed: u64,
    /// Whether the tenant started empty.
    empty: bool,
    /// The changes, oldest first.
    changes: Vec<Change>,
}

/// One recorded write request.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
struct Change {
    method: String,
    /// Path and query, e.g. `/rest/v1/users`.
    uri: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    content_type: Option<String>,
    /// The request body as sent (JSON text for the JSON endpoints).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    body: String,
    /// The status the handler answered with, for people reading the file.
    status: u16,
}

/// The journal behind a state file.
#[derive(Debug)]
pub(crate) struct Journal {
    path: PathBuf,
    file: tokio::sync::Mutex<StateFile>,
}

impl Journal {
    /// Opens `path` for `config`: its journal when the file exists, an empty
    /// one otherwise (the file is then written on the first change). A file
    /// made with another seed or `empty` flag is refused, since its changes
    /// refer to records that tenant does not have.
    pub(crate) fn open(path: &Path, config: &SandboxConfig) -> io::Result<Journal> {
        let file = match std::fs::read(path) {
            Ok(bytes) => {
                let file: StateFile = serde_json::from_slice(&bytes).map_err(|e| {
                    invalid(format!(
                        "{} is not a sandbox state file: {e}",
                        path.display()
                    ))
                })?;
                if file.format != FORMAT || file.version != VERSION {
                    return Err(invalid(format!(
                        "{} is not a version {VERSION} {FORMAT} file",
                        path.display()
                    )));
                }
                if file.seed != config.seed || file.empty != config.empty {
                    return Err(invalid(format!(
                        "{} was made with seed {} (empty: {}); start the sandbox with the same \
                         seed, or use another state file",
                        path.display(),
                        file.seed,
                        file.empty
                    )));
                }
                file
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => StateFile {
                format: FORMAT.to_owned(),
                version: VERSION,
                seed: config.seed,
                empty: config.empty,
                changes: Vec::new(),
            },
            Err(e) => {
                return Err(io::Error::new(
                    e.kind(),
                    format!("could not read {}: {e}", path.display()),
                ));
            }
        };
        Ok(Journal {
            path: path.to_owned(),
            file: tokio::sync::Mutex::new(file),
        })
    }

    /// The number of recorded changes.
    pub(crate) async fn len(&self) -> usize {
        self.file.lock().await.changes.len()
    }

    /// Replays the journal through `router` (the tenant's routes, without
    /// the recorder), then returns `router` with the recorder around it.
    pub(crate) async fn attach(self, router: Router, state: &SandboxState) -> io::Result<Router> {
        self.replay(router.clone(), state).await?;
        Ok(router.layer(from_fn_with_state(Arc::new(self), record)))
    }

    async fn replay(&self, mut router: Router, state: &SandboxState) -> io::Result<()> {
        let changes = self.file.lock().await.changes.clone();
        if changes.is_empty() {
            return Ok(());
        }
        let faults = state.faults();
        state.set_faults(Faults::default());
        let config = state.config();
        let auth = basic(&config.tenant_id, &config.api_key);
        let mut outcome = Ok(());
        for (n, change) in changes.iter().enumerate() {
            let request = match build_request(change, &auth) {
                Ok(r) => r,
                Err(e) => {
                    outcome = Err(invalid(format!(
                        "{}: change {} cannot be replayed: {e}",
                        self.path.display(),
                        n + 1
                    )));
                    break;
                }
            };
            let _ = std::future::poll_fn(|cx| {
                <Router as Service<Request>>::poll_ready(&mut router, cx)
            })
            .await;
            let response = router.call(request).await;
            let status = response.map(|r| r.status().as_u16()).unwrap_or(500);
            if status != change.status {
                tracing::warn!(
                    change = n + 1,
                    uri = %change.uri,
                    recorded = change.status,
                    replayed = status,
                    "sandbox state: a replayed change answered differently"
                );
            }
        }
        state.set_faults(faults);
        state.reset_stats();
        outcome
    }

    async fn save(&self, file: &StateFile) -> io::Result<()> {
        let text = serde_json::to_vec_pretty(file).map_err(io::Error::other)?;
        let path = self.path.clone();
        tokio::task::spawn_blocking(move || write_atomically(&path, &text))
            .await
            .map_err(io::Error::other)?
    }
}

/// Writes `bytes` to a temporary file next to `path`, then renames it over
/// `path`.
fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "state".to_owned());
    let tmp = path.with_file_name(format!(".{name}.tmp"));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
}

fn build_request(change: &Change, auth: &HeaderValue) -> Result<Request, String> {
    let method = Method::from_bytes(change.method.as_bytes()).map_err(|e| e.to_string())?;
    let mut builder = Request::builder()
        .method(method)
        .uri(&change.uri)
        .header(header::AUTHORIZATION, auth.clone());
    if let Some(ct) = &change.content_type {
        builder = builder.header(header::CONTENT_TYPE, ct);
    }
    builder
        .body(Body::from(change.body.clone()))
        .map_err(|e| e.to_string())
}

fn basic(tenant: &str, key: &str) -> HeaderValue {
    use base64::Engine as _;
    let token = base64::engine::general_purpose::STANDARD.encode(format!("{tenant}:{key}"));
    HeaderValue::from_str(&format!("Basic {token}"))
        .unwrap_or_else(|_| HeaderValue::from_static("Basic"))
}

fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message)
}

/// Whether a request may change the tenant.
fn is_write(request: &Request) -> bool {
    request.method() != Method::GET
        && request.method() != Method::HEAD
        && request.method() != Method::OPTIONS
        && request.uri().path().starts_with("/rest/")
}

/// Whether a status means the request never reached a handler.
fn refused_before_handler(status: StatusCode) -> bool {
    matches!(status.as_u16(), 401 | 403 | 429) || status.is_server_error()
}

/// The recorder: serialises writes, and appends each one a handler
/// processed to the journal, saving the file before answering.
async fn record(State(journal): State<Arc<Journal>>, request: Request, next: Next) -> Response {
    if !is_write(&request) {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        Err(_) => {
            return Response::builder()
                .status(StatusCode::PAYLOAD_TOO_LARGE)
                .body(Body::empty())
                .unwrap_or_default();
        }
    };
    let change = Change {
        method: parts.method.to_string(),
        uri: parts
            .uri
            .path_and_query()
            .map(|pq| pq.as_str().to_owned())
            .unwrap_or_else(|| parts.uri.path().to_owned()),
        content_type: parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        body: String::from_utf8_lossy(&bytes).into_owned(),
        status: 0,
    };
    // Held until the change is saved: writes are applied and recorded in
    // one order.
    let mut file = journal.file.lock().await;
    let response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    if refused_before_handler(response.status()) {
        return response;
    }
    file.changes.push(Change {
        status: response.status().as_u16(),
        ..change
    });
    if let Err(error) = journal.save(&file).await {
        tracing::error!(%error, path = %journal.path.display(), "sandbox state: could not save");
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_the_file_and_leaves_no_temporary() {
        let dir = std::env::temp_dir().join(format!("sandbox-persist-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("state.json");
        write_atomically(&path, b"one").unwrap();
        write_atomically(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert!(!dir.join(".state.json.tmp").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_file_of_another_seed_is_refused() {
        let dir = std::env::temp_dir().join(format!("sandbox-seed-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("state.json");
        let file = StateFile {
            format: FORMAT.into(),
            version: VERSION,
            seed: 7,
            empty: false,
            changes: Vec::new(),
        };
        std::fs::write(&path, serde_json::to_vec(&file).unwrap()).unwrap();
        let err = Journal::open(&path, &SandboxConfig::default()).unwrap_err();
        assert!(err.to_string().contains("seed 7"), "{err}");
        let ok = Journal::open(
            &path,
            &SandboxConfig {
                seed: 7,
                ..SandboxConfig::default()
            },
        );
        assert!(ok.is_ok());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
