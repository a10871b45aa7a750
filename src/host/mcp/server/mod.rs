//! [`McpServer`]: the catalogue and the operator's connection, and how a
//! call's arguments become a tool input.

#![allow(deprecated)]

use crate::api::Context;
use crate::api::Progress;
use crate::catalogue::Catalogue;
use crate::error::{Error, Violation};
use crate::host::mcp::tools::{mcp_tool, scrub};
use crate::params::Connection;
use rmcp::RoleServer;
use rmcp::model::{
    CallToolResult, ContentBlock, JsonObject, LoggingLevel, LoggingMessageNotificationParam,
    ProgressNotificationParam, ProgressToken, Tool,
};
use rmcp::service::Peer;
use serde_json::{Map, Value};
use std::fmt;
use std::sync::{Arc, Mutex};

/// Secrets shorter than this are not searched for in results: they would
/// match ordinary text.
const MIN_REDACTED_LEN: usize = 8;

/// What the server tells the model about itself at `initialize`.
const INSTRUCTIONS: &str = "Tools for the Thrive Learning REST API (users, audiences, members, \
managers, assignments, enrolments, completions, content, activities, CPD, tags and skills) of \
the tenant this server was configured with. The connection (tenant, API key, host) is the \
server operator's: never pass tenantId, apiKey, host, clientId or scope. List inputs such as \
`users` take a JSON array (or its JSON text). A failed call returns isError with \
{\"error\": {\"code\", \"message\", \"details\"?}}; for invalid_input, details lists every \
problem with the JSON pointer of its input.";

/// The catalogue as an MCP server ([`rmcp::ServerHandler`]), calling Thrive
/// with the operator's connection. See the [module documentation](crate::host::mcp).
///
/// `Debug` never shows the API key.
#[derive(Clone)]
pub struct McpServer {
    catalogue: &'static Catalogue,
    ctx: Context,
    connection: Connection,
    tools: Arc<[Tool]>,
    /// The lowest level of `notifications/message` the client wants
    /// (`logging/setLevel`); warnings by default. One per session.
    log_level: Arc<Mutex<LoggingLevel>>,
}

impl McpServer {
    /// A server for every tool of `catalogue`, running calls with `ctx` and
    /// the operator's `connection`. [`McpServer::check_connection`] tells
    /// whether the connection can be used before serving.
    pub fn new(catalogue: &'static Catalogue, ctx: Context, connection: Connection) -> Self {
        let tools = catalogue.tools().map(mcp_tool).collect();
        Self {
            catalogue,
            ctx,
            connection,
            tools,
            log_level: Arc::new(Mutex::new(LoggingLevel::Warning)),
        }
    }

    /// A server for a new session: the same tools, context and connection,
    /// its own logging level.
    pub fn session(&self) -> Self {
        Self {
            log_level: Arc::new(Mutex::new(LoggingLevel::Warning)),
            ..self.clone()
        }
    }

    /// Checks what can be checked without calling Thrive: tenant id and API
    /// key given, the host allowed by the context's host policy, the scope
    /// only with a client id and known. Every problem is reported at once
    /// (`invalid_input`), or `host_not_allowed`.
    pub fn check_connection(&self) -> Result<(), Error> {
        let c = &self.connection;
        let mut problems = Vec::new();
        if c.tenant_id.trim().is_empty() {
            problems.push(Violation::new("/tenantId", "tenantId must not be empty"));
        }
        if c.api_key.expose().trim().is_empty() {
            problems.push(Violation::new("/apiKey", "apiKey must not be empty"));
        }
        c.check(&mut problems);
        if !problems.is_empty() {
            return Err(Error::invalid_input(problems));
        }
        self.ctx.hosts().resolve(c.host.as_deref()).map(|_| ())
    }

    /// The MCP tools this server lists, in id order.
    pub fn tools(&self) -> &[Tool] {
        &self.tools
    }

    /// The arguments of a call plus the operator's connection, or
    /// `invalid_input` naming every connection input the arguments set.
    fn input_for(&self, arguments: Option<JsonObject>) -> Result<Value, Error> {
        let mut input: Map<String, Value> = arguments.unwrap_or_default();
        let refused: Vec<Violation> = Connection::FIELDS
            .iter()
            .filter(|name| input.contains_key(**name))
            .map(|name| {
                Violation::new(
                    format!("/{name}"),
                    format!(
                        "{name} is part of the connection, which this server's operator \
                         configures; it cannot be given in a tool call: remove {name}"
                    ),
                )
            })
            .collect();
        if !refused.is_empty() {
            return Err(Error::invalid_input(refused));
        }
        self.connection.fill(&mut input);
        Ok(Value::Object(input))
    }

    /// `value` with every occurrence of the API key replaced by `***`.
    fn redact(&self, mut value: Value) -> Value {
        let secret = self.connection.api_key.expose();
        if secret.len() >= MIN_REDACTED_LEN {
            scrub(&mut value, secret);
        }
        value
    }

    /// The tool error result for `error`.
    fn failure(&self, error: &Error) -> CallToolResult {
        let text = self.redact(error.to_json()).to_string();
        CallToolResult::error(vec![ContentBlock::text(text)])
    }

    /// Runs tool `id` with `arguments` and the operator's connection, with
    /// `ctx` (which may report progress).
    async fn run(
        &self,
        id: &str,
        arguments: Option<JsonObject>,
        ctx: &Context,
    ) -> Result<Value, Error> {
        let input = self.input_for(arguments)?;
        self.catalogue.execute(id, input, ctx).await
    }

    /// Sends a `notifications/message` warning when the client's level
    /// lets warnings through. The data names the tool and what happened,
    /// never the call's arguments.
    async fn warn(&self, peer: &Peer<RoleServer>, data: Value) {
        let wanted = *self.log_level.lock().unwrap_or_else(|e| e.into_inner());
        if level_rank(wanted) > level_rank(LoggingLevel::Warning) {
            return;
        }
        let param = LoggingMessageNotificationParam::new(LoggingLevel::Warning, self.redact(data))
            .with_logger("thrive-blocks");
        #[allow(deprecated)] // logging is still part of the protocol versions served
        if let Err(e) = peer.notify_logging_message(param).await {
            tracing::debug!(error = %e, "could not send a log message");
        }
    }
}

/// The severity order of MCP logging levels.
fn level_rank(level: LoggingLevel) -> u8 {
    match level {
        LoggingLevel::Debug => 0,
        LoggingLevel::Info => 1,
        LoggingLevel::Notice => 2,
        LoggingLevel::Warning => 3,
        LoggingLevel::Error => 4,
        LoggingLevel::Critical => 5,
        LoggingLevel::Alert => 6,
        LoggingLevel::Emergency => 7,
    }
}

/// Sends `notifications/progress` for a call's pages or chunks, each with
/// more items done than the last.
struct ProgressSender {
    token: ProgressToken,
    peer: Peer<RoleServer>,
    last: Option<u64>,
}

impl ProgressSender {
    async fn send(&mut self, p: Progress) {
        if self.last.is_some_and(|last| p.done <= last) {
            return;
        }
        self.last = Some(p.done);
        let mut param = ProgressNotificationParam::new(self.token.clone(), p.done as f64);
        param = match p.total {
            Some(total) => param
                .with_total(total as f64)
                .with_message(format!("{} of {total} items", p.done)),
            None => param.with_message(format!("{} items", p.done)),
        };
        if let Err(e) = self.peer.notify_progress(param).await {
            tracing::debug!(error = %e, "could not send progress");
        }
    }
}

impl fmt::Debug for McpServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("McpServer")
            .field("tools", &self.tools.len())
            .field("connection", &self.connection)
            .field("ctx", &self.ctx)
            .finish()
    }
}

mod handler;

#[cfg(test)]
mod tests;
