//! # thrive-sandbox
//!
//! A stateful, faithful fake of the Thrive Learning REST API, served on
//! loopback for tests, demos and benchmarks.
//!
//! It implements every endpoint behind the 47 documented operations (users
//! v1/v2, audiences and structures, members, managers, assignments,
//! enrolments, completions, content, activities, CPD, tags, skills), Basic
//! and OAuth 2.0 client-credentials authentication, Thrive-shaped errors,
//! 200/207 partial successes, real pagination, and switchable fault
//! injection (latency, 429 with `Retry-After`, 5xx, dropped connections,
//! slow bodies). The behaviour follows the project's Thrive API notes
//! (`shared/thrive-api/*.md`); wherever those say "not documented", the
//! choice made is written in the doc comment of the module concerned.
//!
//! ## Choices for undocumented behaviour (summary)
//!
//! Each is documented in full where it is implemented.
//! - **Status codes**: creates answer 201, updates 200. Delete-style calls
//!   answer `200 {"success": true}` or, with
//!   [`DeleteResponseMode::NoContent`], 204. Create completion: 201 when created,
//!   200 with the existing `statementId` when the same user, content and
//!   `completedAt` instant already exist.
//! - **Errors**: 400 for missing/mistyped fields, arrays outside 1–100, empty
//!   replace arrays, `perPage`/`page` outside the documented range, a repeated
//!   query parameter, malformed dates; 404 for any unknown id or reference,
//!   in the path or the body; 409 for a duplicate user ref or email, or an
//!   audience reference, and for deleting a structure that still has
//!   children ([`DeleteStructureMode::RefuseWithChildren`]); 422 for
//!   hierarchy violations, refused moves, unknown tag names, skill levels
//!   below −1 and `updatedAtTo` without `updatedAtFrom`. Unknown query
//!   parameters are ignored; empty values count as absent.
//! - **Users**: API-created users are `new`; suspend → `inactive`,
//!   `active: false`; delete obfuscates PII, hides the user from every read
//!   (404) and frees the ref; history keeps the id.
//! - **Audiences**: membership of a child audience rolls up into its
//!   structure; a move reports members that stay in a sibling audience of
//!   the old structure as failures (207).
//! - **Assignments**: creating one, and adding members later, enrols members
//!   (`unassigned → open`); removing a member unassigns; deleting an
//!   assignment soft-deletes it and archives unfinished enrolments; update and
//!   delete need the assignment's own `audienceId` (else 404).
//! - **Completions** complete matching open/overdue enrolments (primary or
//!   alternative content) and add a `completed` activity.
//! - **Tags** added to a learner are interests; counts in messages are the
//!   distinct names sent.
//! - **OAuth**: no `scope` = `api/all`; only `api/read`, `api/write`,
//!   `api/all` are valid scopes; tokens are opaque.
//! - **Dates**: zone-less inputs are UTC; a bare date as an upper bound
//!   covers the whole day; the activity and CPD entry filters take
//!   `YYYY-MM-DD hh:mm:ss` (or a bare date), user summaries
//!   `YYYY-MM-DDThh:mm:ss`, everything else ISO 8601.
//! - **Server**: HTTP/1.1 only (what clients use against `http://`).
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use thrive_sandbox::{Sandbox, SandboxConfig};
//!
//! let sandbox = Sandbox::start(SandboxConfig::default()).await?;
//! let base = sandbox.base_url(); // http://127.0.0.1:PORT
//! let creds = sandbox.demo_credentials();
//! // ... point a client at `base` with Basic auth creds.tenant_id:creds.api_key
//! assert!(sandbox.state().user_by_ref("EMP-00001").is_some());
//! sandbox.shutdown().await;
//! # Ok(())
//! # }
//! ```

#![warn(missing_docs)]

// The modules in layers; each imports only from its own layer or below
// (the catalogue's architecture test holds the list and checks it):
// 1. plain parts: config, error, time, rng, fields (body field checks),
//    model (the records);
// 2. what the state holds: stats, tokens, fault_plan, outbox;
// 3. state: the records, their operations and the shared handle;
// 4. request: HTTP request parsing;
// 5. services over the state: auth, faults (the gateway), webhooks (the
//    events), seed, persist;
// 6. routes: the HTTP surface;
// 7. server: the loopback server.
mod auth;
mod config;
mod error;
mod fault_plan;
mod faults;
mod fields;
mod model;
mod outbox;
mod persist;
mod request;
mod rng;
mod routes;
mod seed;
mod server;
mod state;
mod stats;
mod time;
mod tokens;
mod webhooks;

pub use config::{DeleteResponseMode, DeleteStructureMode, DemoCredentials, Faults, SandboxConfig};
pub use fault_plan::OneShotFault;
pub use outbox::{WebhookConfig, WebhookStats, WebhookTarget};
pub use server::Sandbox;
pub use state::SandboxState;
pub use stats::Stats;
