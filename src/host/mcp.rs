//! The MCP server: the catalogue as [Model Context Protocol] tools, so AI
//! assistants and MCP hosts can list and call every Thrive tool.
//!
//! ```text
//! initialize      serverInfo thrive-blocks, capabilities: tools
//! tools/list      52 tools: name = tool id, title, description (with the endpoint),
//!                 inputSchema (without the connection inputs), outputSchema, annotations
//! tools/call      the tool's output as text and structuredContent, or isError with
//!                 {"error": {"code", "message", "details"?, ...}}
//! ```
//!
//! **Credentials never go through the model.** The server is given one
//! connection ([`Connection`]: tenant, API key, host and, for OAuth, client id
//! and scope) by its operator. Every tool's `inputSchema` leaves out the
//! inputs marked `x-thrive-credential`; on each call the server adds the
//! operator's connection to the arguments. A call whose arguments name a
//! connection input (`tenantId`, `apiKey`, `host`, `clientId`, `scope`) is
//! refused with an `invalid_input` tool error naming the field, so a model
//! cannot send the key to another host or tenant. Results never contain the
//! API key: besides the crate never putting it in an output or an error, the
//! server replaces any occurrence of a key of 8 or more characters in a
//! result with `***`.
//!
//! **Failures are results, not protocol errors.** A step that fails
//! (invalid input, a refused host, an error from Thrive, a timeout) answers
//! `isError: true` with [`Error::to_json`] as its text, so the model can read
//! what went wrong and fix its input. Only a call of a tool that does not
//! exist is a JSON-RPC error (invalid params, `-32602`).
//!
//! Every call shares the one [`Context`] (HTTP client, OAuth token cache,
//! per-tenant 429 gates). A call the client cancels (`notifications/cancelled`)
//! is dropped at once, retries and all (a write may or may not have reached
//! Thrive by then), and, as the protocol asks, not answered.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use thrive_blocks::host::mcp::{self, McpServer};
//! use thrive_blocks::params::Connection;
//! use thrive_blocks::{Catalogue, Context};
//!
//! let key = std::env::var("THRIVE_API_KEY").unwrap_or_default();
//! let connection = Connection::basic("eu-west-2_AbcdEfghI", key);
//! let server = McpServer::new(Catalogue::global(), Context::from_env(), connection);
//! mcp::serve_stdio(server).await // until the host closes standard input
//! # }
//! ```
//!
//! `thrive-blocks mcp` serves it over stdio with the connection read by
//! [`connection_from_env`] (or, with `--sandbox`, the embedded sandbox's).
//!
//! [Model Context Protocol]: https://modelcontextprotocol.io

// MCP logging (`logging/setLevel`, `notifications/message`) is deprecated
// by a protocol proposal for a future version, but is part of the protocol
// versions clients speak today, and the server offers it.
#![allow(deprecated)]

use crate::api::Context;
use crate::api::Progress;
use crate::catalogue::{Catalogue, CatalogueTool};
use crate::error::{Error, ErrorCode, Violation};
use crate::host::mcp_transport::LineTransport;
use crate::params::{CREDENTIAL_MARKER, Connection};
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation,
    JsonObject, ListToolsResult, LoggingLevel, LoggingMessageNotificationParam,
    PaginatedRequestParams, ProgressNotificationParam, ProgressToken, ServerCapabilities,
    ServerConfig, SetLevelRequestParams, Tool, ToolAnnotations,
};
use rmcp::service::{Peer, RequestContext};
use rmcp::{ErrorData, RoleServer, ServerHandler, ServiceExt};
use serde_json::{Map, Value, json};
use std::fmt;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncRead, AsyncWrite};

pub use crate::params::{API_KEY_ENV, CLIENT_ID_ENV, HOST_ENV, SCOPE_ENV, TENANT_ID_ENV};

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
/// with the operator's connection. See the [module documentation](self).
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
        let c = &self.connection;
        input.insert("tenantId".into(), c.tenant_id.clone().into());
        input.insert("apiKey".into(), c.api_key.expose().into());
        for (name, value) in [
            ("host", &c.host),
            ("clientId", &c.client_id),
            ("scope", &c.scope),
        ] {
            if let Some(value) = value {
                input.insert(name.into(), value.clone().into());
            }
        }
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

impl ServerHandler for McpServer {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(
            ServerCapabilities::builder()
                .enable_tools()
                .enable_logging()
                .build(),
        )
        .with_server_info(
            Implementation::new("thrive-blocks", env!("CARGO_PKG_VERSION"))
                .with_title("Thrive Learning"),
        )
        .with_instructions(INSTRUCTIONS)
    }

    async fn list_tools(
        &self,
        request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        if request.and_then(|r| r.cursor).is_some() {
            // Every tool is on the one page: no cursor was ever handed out.
            return Err(ErrorData::invalid_params(
                "unknown cursor: tools/list answers every tool at once; call it without a cursor",
                None,
            ));
        }
        Ok(ListToolsResult::with_all_items(self.tools.to_vec()))
    }

    async fn set_level(
        &self,
        request: SetLevelRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<(), ErrorData> {
        *self.log_level.lock().unwrap_or_else(|e| e.into_inner()) = request.level;
        Ok(())
    }

    fn get_tool(&self, name: &str) -> Option<Tool> {
        self.tools.iter().find(|t| t.name == name).cloned()
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        let Ok(tool) = self.catalogue.get(&request.name) else {
            return Err(ErrorData::invalid_params(
                format!(
                    "no tool has the name {:?}; tools/list lists them all",
                    request.name
                ),
                Some(json!({"name": request.name})),
            ));
        };
        let id = tool.meta().id;
        tracing::debug!(tool = id, "tools/call");
        // With a progress token, the runtime's page and chunk reports become
        // notifications/progress, sent in order before the answer.
        let (ctx, mut progress) = match context.meta.get_progress_token() {
            Some(token) => {
                let (tx, rx) = tokio::sync::mpsc::unbounded_channel::<Progress>();
                let ctx = self.ctx.with_progress(Arc::new(move |p| {
                    let _ = tx.send(p);
                }));
                let sender = ProgressSender {
                    token,
                    peer: context.peer.clone(),
                    last: None,
                };
                (ctx, Some((rx, sender)))
            }
            None => (self.ctx.clone(), None),
        };
        let mut run = Box::pin(self.run(id, request.arguments, &ctx));
        // A cancelled call stops here, retries and all; rmcp sends no answer
        // to a cancelled request.
        let outcome = loop {
            let next_progress = async {
                match progress.as_mut() {
                    Some((rx, _)) => rx.recv().await,
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                biased;
                () = context.ct.cancelled() => {
                    tracing::debug!(tool = id, "tools/call cancelled");
                    break Err(Error::new(
                        ErrorCode::Transport,
                        "the client cancelled the call before it finished",
                    ));
                }
                Some(p) = next_progress => {
                    if let Some((_, sender)) = progress.as_mut() {
                        sender.send(p).await;
                    }
                }
                outcome = run.as_mut() => break outcome,
            }
        };
        drop(run);
        drop(ctx);
        if let Some((rx, sender)) = progress.as_mut() {
            while let Ok(p) = rx.try_recv() {
                sender.send(p).await;
            }
        }
        let result = match outcome {
            Ok(output) => {
                if output.get("partial") == Some(&Value::Bool(true)) {
                    self.warn(
                        &context.peer,
                        json!({"tool": id, "partial": true,
                               "message": "Thrive applied part of the call; the result lists what failed"}),
                    )
                    .await;
                }
                CallToolResult::structured(self.redact(output))
            }
            Err(e) => {
                tracing::debug!(tool = id, code = %e.code(), "tool call failed");
                if e.is_retryable()
                    || matches!(e.code(), ErrorCode::InvalidResponse | ErrorCode::AuthFailed)
                {
                    self.warn(
                        &context.peer,
                        json!({"tool": id, "code": e.code().as_str(), "message": e.message()}),
                    )
                    .await;
                }
                self.failure(&e)
            }
        };
        Ok(result.into())
    }
}

/// The MCP tool for a catalogue tool: its id as the name, title,
/// description with the endpoint, the input schema without the connection
/// inputs, the output schema and the hints as annotations (`openWorldHint`
/// true: every tool calls Thrive).
pub fn mcp_tool(tool: &CatalogueTool) -> Tool {
    let meta = tool.meta();
    let description = format!("{} Thrive endpoint: {}.", meta.description, meta.endpoint);
    let mut mcp = Tool::new(
        meta.id,
        description,
        // The portable flavour: what every AI host's schema subset accepts.
        Arc::new(model_input_schema(
            &tool.schema(crate::flavours::Flavour::Portable),
        )),
    )
    .with_title(meta.title)
    .with_annotations(
        ToolAnnotations::with_title(meta.title)
            .read_only(meta.hints.read_only)
            .destructive(meta.hints.destructive)
            .idempotent(meta.hints.idempotent)
            .open_world(true),
    );
    if let Value::Object(schema) = tool.output_schema() {
        mcp = mcp.with_raw_output_schema(Arc::new(schema.clone()));
    }
    mcp
}

/// `schema` without the properties marked [`CREDENTIAL_MARKER`] (and
/// without them in `required`): the input a model may give.
fn model_input_schema(schema: &Value) -> JsonObject {
    let mut schema = match schema {
        Value::Object(map) => map.clone(),
        _ => Map::new(),
    };
    let mut removed: Vec<String> = Vec::new();
    if let Some(Value::Object(props)) = schema.get_mut("properties") {
        props.retain(|name, prop| {
            let credential = prop.get(CREDENTIAL_MARKER) == Some(&Value::Bool(true))
                || Connection::FIELDS.contains(&name.as_str());
            if credential {
                removed.push(name.clone());
            }
            !credential
        });
    }
    if let Some(Value::Array(required)) = schema.get_mut("required") {
        required.retain(|name| {
            name.as_str()
                .is_none_or(|name| !removed.iter().any(|r| r == name))
        });
    }
    schema.insert("type".into(), "object".into());
    schema
        .entry("properties")
        .or_insert_with(|| Value::Object(Map::new()));
    schema
}

/// Replaces every occurrence of `secret` in the strings and keys of `value`.
fn scrub(value: &mut Value, secret: &str) {
    match value {
        Value::String(s) if s.contains(secret) => *s = s.replace(secret, "***"),
        Value::Array(items) => items.iter_mut().for_each(|v| scrub(v, secret)),
        Value::Object(map) => {
            if map.keys().any(|k| k.contains(secret)) {
                *map = std::mem::take(map)
                    .into_iter()
                    .map(|(k, v)| (k.replace(secret, "***"), v))
                    .collect();
            }
            map.values_mut().for_each(|v| scrub(v, secret));
        }
        _ => {}
    }
}

/// The operator's connection from the environment: [`TENANT_ID_ENV`] and
/// [`API_KEY_ENV`] (required), [`HOST_ENV`], [`CLIENT_ID_ENV`] and
/// [`SCOPE_ENV`] (optional). A variable set to blank counts as unset. Fails
/// with `invalid_input` naming every required variable that is missing.
pub fn connection_from_env() -> Result<Connection, Error> {
    let mut input = Map::new();
    Connection::fill_from_env(&mut input);
    let missing: Vec<&str> = [("tenantId", TENANT_ID_ENV), ("apiKey", API_KEY_ENV)]
        .into_iter()
        .filter(|(field, _)| !input.contains_key(*field))
        .map(|(_, var)| var)
        .collect();
    if !missing.is_empty() {
        return Err(Error::new(
            ErrorCode::InvalidInput,
            format!(
                "{} not set: the MCP server calls Thrive with the operator's connection, \
                 read from {TENANT_ID_ENV}, {API_KEY_ENV} and optionally {HOST_ENV}, \
                 {CLIENT_ID_ENV} and {SCOPE_ENV}",
                match missing.as_slice() {
                    [one] => format!("{one} is"),
                    many => format!("{} are", many.join(" and ")),
                }
            ),
        ));
    }
    serde_json::from_value(Value::Object(input)).map_err(|e| {
        Error::new(
            ErrorCode::InvalidInput,
            format!("the connection in the environment could not be read: {e}"),
        )
    })
}

/// Serves `server` over standard input and output (newline-delimited
/// JSON-RPC) until the client closes standard input. Nothing else may write
/// to standard output meanwhile.
pub async fn serve_stdio(server: McpServer) -> std::io::Result<()> {
    let (stdin, stdout) = rmcp::transport::stdio();
    serve(server, stdin, stdout).await
}

/// Serves `server` over any byte stream pair (newline-delimited JSON-RPC):
/// waits for the client's `initialize`, then answers until `reader` ends.
pub async fn serve<R, W>(server: McpServer, reader: R, writer: W) -> std::io::Result<()>
where
    R: AsyncRead + Send + Unpin + 'static,
    W: AsyncWrite + Send + Unpin + 'static,
{
    // Our line transport answers what rmcp's would drop or answer without
    // an id (see `mcp_transport`).
    let running = server
        .serve(LineTransport::new(reader, writer))
        .await
        .map_err(std::io::Error::other)?;
    let reason = running.waiting().await.map_err(std::io::Error::other)?;
    tracing::debug!(?reason, "MCP session ended");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_schema_drops_the_connection_inputs() {
        let full = json!({
            "type": "object",
            "properties": {
                "tenantId": {"type": "string", "x-thrive-credential": true},
                "apiKey": {"type": "string", "writeOnly": true, "x-thrive-credential": true},
                "host": {"type": "string", "x-thrive-credential": true},
                "audienceId": {"type": "string"}
            },
            "required": ["tenantId", "apiKey", "audienceId"],
            "additionalProperties": false
        });
        assert_eq!(
            Value::Object(model_input_schema(&full)),
            json!({
                "type": "object",
                "properties": {"audienceId": {"type": "string"}},
                "required": ["audienceId"],
                "additionalProperties": false
            })
        );
    }

    #[test]
    fn every_catalogue_tool_hides_its_credentials() {
        for tool in Catalogue::global().tools() {
            let mcp = mcp_tool(tool);
            let props = mcp.input_schema["properties"].as_object();
            let props = props.map(|p| p.keys().cloned().collect::<Vec<_>>());
            for name in Connection::FIELDS {
                assert!(
                    !props.iter().flatten().any(|p| p == name),
                    "{}: {name}",
                    mcp.name
                );
            }
            assert_eq!(mcp.input_schema["type"], "object");
        }
    }

    #[test]
    fn scrub_replaces_the_secret_in_strings_and_keys() {
        let mut v = json!({"a": "x-s3cr3t-value-y", "s3cr3t-value": [1, "s3cr3t-value"]});
        scrub(&mut v, "s3cr3t-value");
        assert_eq!(v, json!({"a": "x-***-y", "***": [1, "***"]}));
    }

    #[test]
    fn credentials_in_arguments_are_refused_by_name() {
        let server = McpServer::new(
            Catalogue::global(),
            Context::builder().build(),
            Connection::basic("eu-west-2_Abc", "s3cr3t-value"),
        );
        let mut args = JsonObject::new();
        args.insert("host".into(), "evil.example.com".into());
        args.insert("apiKey".into(), Value::Null);
        let e = server.input_for(Some(args)).err();
        let pointers: Vec<String> = e
            .map(|e| e.violations().into_iter().map(|v| v.pointer).collect())
            .unwrap_or_default();
        assert_eq!(pointers, ["/apiKey", "/host"]);

        let input = server.input_for(None).ok();
        assert_eq!(
            input,
            Some(json!({"tenantId": "eu-west-2_Abc", "apiKey": "s3cr3t-value"}))
        );
        let dbg = format!("{server:?}");
        assert!(!dbg.contains("s3cr3t"), "{dbg}");
    }
}
