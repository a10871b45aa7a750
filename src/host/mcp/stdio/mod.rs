//! The MCP server's stdio transport: newline-delimited JSON-RPC with every
//! malformed message answered, and nothing before `initialize` fatal.
//!
//! rmcp's own byte-stream transport ignores a line that is not JSON (and
//! one nested deeper than its parser allows), answers a message of the
//! wrong shape `-32600` *without* its id, and ends the session when a
//! notification or a response arrives before `initialize`. A client then
//! waits for an answer that never comes. This transport reads the lines
//! itself and passes rmcp only messages it can handle:
//!
//! | line | answer |
//! |---|---|
//! | not JSON | `-32700` parse error, with the id when one can be read, else `null` |
//! | longer than 16 MiB | `-32600`, with the id when it can be read from the first 64 KiB |
//! | nested deeper than 128 levels | `-32600` invalid request, with the id when one can be read |
//! | not one JSON object (e.g. a batch), wrong `jsonrpc`, `method` not a string, `id` neither a string nor an integer | `-32600`, with the id when readable |
//! | a request whose `params` is not an object | `-32602` invalid params, with its id |
//! | `tools/call` whose `arguments` is not an object, or whose `name` is not a string | `-32602`, with its id |
//! | a request whose params do not fit its method | `-32602`, with its id |
//! | a notification or response before `initialize` | ignored (logged at debug level) |
//! | a malformed notification or response | ignored |
//!
//! Logs name the kind of problem only, never the content of a line.

use super::server::McpServer;
use rmcp::model::{ClientJsonRpcMessage, ClientRequest};
use rmcp::service::{RxJsonRpcMessage, TxJsonRpcMessage};
use rmcp::transport::Transport;
use rmcp::{RoleServer, ServiceExt};
use serde_json::{Value, json};
use std::sync::Arc;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::Mutex;

mod scan;
pub(crate) use scan::top_level_id;
use scan::{is_valid_id, tool_call_problem};

/// The longest line read: 16 MiB. A longer line is dropped whole and
/// answered `-32600` with the id read from its first 64 KiB (`null` when
/// none can be read there).
pub const MAX_LINE_BYTES: usize = 16 * 1024 * 1024;

/// The first bytes of an over-long line kept to read its id from.
const HEAD_BYTES: usize = 64 * 1024;

/// JSON-RPC's parse error.
pub const PARSE_ERROR: i64 = -32700;
/// JSON-RPC's invalid request.
pub const INVALID_REQUEST: i64 = -32600;
/// JSON-RPC's invalid params.
pub const INVALID_PARAMS: i64 = -32602;

/// A [`Transport`] over a byte stream pair that answers malformed lines
/// itself (see the module documentation).
pub struct LineTransport<R, W> {
    read: BufReader<R>,
    line: Vec<u8>,
    discarding: bool,
    write: Arc<Mutex<Option<W>>>,
    initialized: bool,
}

impl<R, W> LineTransport<R, W>
where
    R: AsyncRead + Send + Unpin + 'static,
    W: AsyncWrite + Send + Unpin + 'static,
{
    /// A transport reading messages from `read` and writing to `write`.
    pub fn new(read: R, write: W) -> Self {
        Self {
            read: BufReader::new(read),
            line: Vec::new(),
            discarding: false,
            write: Arc::new(Mutex::new(Some(write))),
            initialized: false,
        }
    }

    /// Writes one line, whole, after any line being written.
    fn write_line(
        &self,
        mut bytes: Vec<u8>,
    ) -> impl Future<Output = std::io::Result<()>> + use<R, W> {
        let write = self.write.clone();
        bytes.push(b'\n');
        async move {
            let mut guard = write.lock().await;
            let Some(w) = guard.as_mut() else {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::NotConnected,
                    "the transport is closed",
                ));
            };
            w.write_all(&bytes).await?;
            w.flush().await
        }
    }

    /// Sends an error answer in its own task, so that a `receive` dropped
    /// half-way cannot leave half a line on the stream.
    fn reply_error(&self, id: Option<Value>, code: i64, message: &str) {
        let reply = error_message(id, code, message);
        let send = self.write_line(reply.to_string().into_bytes());
        tokio::spawn(async move {
            if let Err(e) = send.await {
                tracing::debug!(error = %e, "could not send an error answer");
            }
        });
    }

    /// Reads one `\n`-terminated line into `self.line`; `false` at the end
    /// of the stream. Cancel-safe: a partial line stays buffered.
    async fn read_line(&mut self) -> std::io::Result<bool> {
        loop {
            let available = self.read.fill_buf().await?;
            if available.is_empty() {
                return Ok(false);
            }
            let newline = available.iter().position(|b| *b == b'\n');
            let take = newline.map_or(available.len(), |i| i + 1);
            let mut complete = newline.is_some();
            if self.discarding {
                if complete {
                    self.discarding = false;
                }
                complete = false;
            } else if self.line.len() + take > MAX_LINE_BYTES {
                tracing::warn!(
                    max = MAX_LINE_BYTES,
                    "dropped an MCP message longer than the limit"
                );
                let mut head = std::mem::take(&mut self.line);
                head.truncate(HEAD_BYTES);
                let more = HEAD_BYTES.saturating_sub(head.len()).min(take);
                head.extend_from_slice(&available[..more]);
                let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&head);
                self.reply_error(
                    top_level_id(head),
                    INVALID_REQUEST,
                    &format!("Invalid request: the message is longer than {MAX_LINE_BYTES} bytes"),
                );
                self.discarding = !complete;
                complete = false;
            } else {
                self.line.extend_from_slice(&available[..take]);
            }
            self.read.consume(take);
            if complete {
                return Ok(true);
            }
        }
    }

    /// What to do with one line: a message for rmcp, or nothing (answered
    /// or ignored here).
    fn sort(&mut self, line: &[u8]) -> Option<ClientJsonRpcMessage> {
        match sort_message(line, self.initialized) {
            Sorted::Forward(message) => {
                let message = *message;
                if let ClientJsonRpcMessage::Request(request) = &message
                    && matches!(request.request, ClientRequest::InitializeRequest(_))
                {
                    self.initialized = true;
                }
                Some(message)
            }
            Sorted::Reply { id, code, message } => {
                self.reply_error(id, code, &message);
                None
            }
            Sorted::Ignore(why) => {
                tracing::debug!(why, "ignored an MCP message");
                None
            }
        }
    }
}

/// What to do with one JSON-RPC message (a stdio line or an HTTP body).
#[derive(Debug)]
pub enum Sorted {
    /// A message rmcp can handle (boxed: it is much larger than the rest).
    Forward(Box<ClientJsonRpcMessage>),
    /// A malformed message, answered with this error (with its id when one
    /// could be read).
    Reply {
        /// The message's id, when readable.
        id: Option<Value>,
        /// The JSON-RPC error code.
        code: i64,
        /// The error message (never the content of the message).
        message: String,
    },
    /// A notification or response that is not answered: before
    /// `initialize`, or malformed.
    Ignore(&'static str),
}

/// Sorts one message (see the module documentation's table);
/// `initialized`: whether `initialize` has been received (notifications
/// and responses before it are ignored).
pub fn sort_message(line: &[u8], initialized: bool) -> Sorted {
    let line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
    let reply = |id: Option<Value>, code: i64, message: String| Sorted::Reply { id, code, message };
    if line.iter().all(u8::is_ascii_whitespace) {
        return Sorted::Ignore("an empty message");
    }
    let value: Value = match serde_json::from_slice(line) {
        Ok(v) => v,
        Err(e) => {
            let id = top_level_id(line);
            if e.to_string().starts_with("recursion limit exceeded") {
                tracing::debug!("MCP message nested too deeply");
                return reply(
                    id,
                    INVALID_REQUEST,
                    "Invalid request: the message is nested deeper than 128 levels".into(),
                );
            }
            tracing::debug!(
                line = e.line(),
                column = e.column(),
                "MCP message is not JSON"
            );
            return reply(id, PARSE_ERROR, format!("Parse error: {e}"));
        }
    };
    let Value::Object(message) = &value else {
        return reply(
            None,
            INVALID_REQUEST,
            "Invalid request: a message must be one JSON object (batches are not supported)".into(),
        );
    };
    let id = message.get("id").filter(|id| is_valid_id(id)).cloned();
    let bad_id = message.contains_key("id") && id.is_none();
    let invalid = |why: &str| {
        reply(
            id.clone(),
            INVALID_REQUEST,
            format!("Invalid request: {why}"),
        )
    };
    if message.get("jsonrpc") != Some(&Value::String("2.0".into())) {
        return invalid("\"jsonrpc\" must be \"2.0\"");
    }
    if bad_id {
        return invalid("\"id\" must be a string or an integer");
    }
    let Some(method) = message.get("method") else {
        // A response (to a request of ours) or nonsense.
        if message.contains_key("result") || message.contains_key("error") {
            if !initialized {
                return Sorted::Ignore("a response before initialize");
            }
            return match serde_json::from_value(value) {
                Ok(m) => Sorted::Forward(Box::new(m)),
                Err(_) => Sorted::Ignore("a malformed response"),
            };
        }
        return invalid("a message needs a \"method\", or a \"result\" or \"error\"");
    };
    let Some(method) = method.as_str().map(str::to_owned) else {
        return invalid("\"method\" must be a string");
    };
    let method = method.as_str();
    let params = message.get("params").cloned();
    if id.is_none() {
        if !initialized {
            return Sorted::Ignore("a notification before initialize");
        }
        return match serde_json::from_value(value) {
            Ok(m) => Sorted::Forward(Box::new(m)),
            Err(_) => Sorted::Ignore("a malformed notification"),
        };
    }
    let params_problem = match &params {
        None | Some(Value::Object(_)) => None,
        Some(_) => Some("\"params\" must be an object".to_owned()),
    };
    let params_problem = params_problem.or_else(|| {
        (method == "tools/call")
            .then(|| tool_call_problem(params.as_ref()))
            .flatten()
    });
    if let Some(problem) = params_problem {
        return reply(id, INVALID_PARAMS, format!("Invalid params: {problem}"));
    }
    match serde_json::from_value::<ClientJsonRpcMessage>(value) {
        Ok(message) => Sorted::Forward(Box::new(message)),
        Err(e) => reply(
            id,
            INVALID_PARAMS,
            format!("Invalid params for {method}: {e}"),
        ),
    }
}

/// The JSON-RPC error answer `{"jsonrpc": "2.0", "id", "error": {"code",
/// "message"}}` (id `null` when unknown).
pub fn error_message(id: Option<Value>, code: i64, message: &str) -> Value {
    json!({
        "jsonrpc": "2.0",
        "id": id.unwrap_or(Value::Null),
        "error": {"code": code, "message": message},
    })
}

impl<R, W> Transport<RoleServer> for LineTransport<R, W>
where
    R: AsyncRead + Send + Unpin + 'static,
    W: AsyncWrite + Send + Unpin + 'static,
{
    type Error = std::io::Error;

    fn send(
        &mut self,
        item: TxJsonRpcMessage<RoleServer>,
    ) -> impl Future<Output = Result<(), Self::Error>> + Send + 'static {
        let line = serde_json::to_vec(&item)
            .map_err(std::io::Error::other)
            .map(|bytes| self.write_line(bytes));
        async move { line?.await }
    }

    async fn receive(&mut self) -> Option<RxJsonRpcMessage<RoleServer>> {
        loop {
            match self.read_line().await {
                Ok(true) => {}
                Ok(false) => return None,
                Err(e) => {
                    tracing::debug!(error = %e, "reading the MCP stream failed");
                    return None;
                }
            }
            let line = std::mem::take(&mut self.line);
            let body = line.strip_suffix(b"\n").unwrap_or(&line);
            let body = body.strip_suffix(b"\r").unwrap_or(body);
            let sorted = self.sort(body);
            self.line = line;
            self.line.clear();
            if let Some(message) = sorted {
                return Some(message);
            }
        }
    }

    async fn close(&mut self) -> Result<(), Self::Error> {
        let mut guard = self.write.lock().await;
        if let Some(mut w) = guard.take() {
            let _ = w.shutdown().await;
        }
        Ok(())
    }
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
    // an id (see the module docs).
    let running = server
        .serve(LineTransport::new(reader, writer))
        .await
        .map_err(std::io::Error::other)?;
    let reason = running.waiting().await.map_err(std::io::Error::other)?;
    tracing::debug!(?reason, "MCP session ended");
    Ok(())
}

#[cfg(test)]
mod tests;
