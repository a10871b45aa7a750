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
//! | nested deeper than 128 levels | `-32600` invalid request, with the id when one can be read |
//! | not one JSON object (e.g. a batch), wrong `jsonrpc`, `method` not a string, `id` neither a string nor an integer | `-32600`, with the id when readable |
//! | a request whose `params` is not an object | `-32602` invalid params, with its id |
//! | `tools/call` whose `arguments` is not an object, or whose `name` is not a string | `-32602`, with its id |
//! | a request whose params do not fit its method | `-32602`, with its id |
//! | a notification or response before `initialize` | ignored (logged at debug level) |
//! | a malformed notification or response | ignored |
//!
//! Logs name the kind of problem only, never the content of a line.

use rmcp::RoleServer;
use rmcp::model::{ClientJsonRpcMessage, ClientRequest};
use rmcp::service::{RxJsonRpcMessage, TxJsonRpcMessage};
use rmcp::transport::Transport;
use serde_json::{Value, json};
use std::sync::Arc;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::Mutex;

mod scan;
use scan::*;

/// The longest line read: 16 MiB. A longer line is dropped whole.
pub const MAX_LINE_BYTES: usize = 16 * 1024 * 1024;

/// JSON-RPC's parse error.
const PARSE_ERROR: i64 = -32700;
/// JSON-RPC's invalid request.
const INVALID_REQUEST: i64 = -32600;
/// JSON-RPC's invalid params.
const INVALID_PARAMS: i64 = -32602;

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
        let reply = json!({
            "jsonrpc": "2.0",
            "id": id.unwrap_or(Value::Null),
            "error": {"code": code, "message": message},
        });
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
                self.line.clear();
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
        let line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
        if line.iter().all(u8::is_ascii_whitespace) {
            return None;
        }
        let value: Value = match serde_json::from_slice(line) {
            Ok(v) => v,
            Err(e) => {
                let id = top_level_id(line);
                if e.to_string().starts_with("recursion limit exceeded") {
                    tracing::debug!("MCP message nested too deeply");
                    self.reply_error(
                        id,
                        INVALID_REQUEST,
                        "Invalid request: the message is nested deeper than 128 levels",
                    );
                } else {
                    tracing::debug!(line = e.line(), column = e.column(), "MCP line is not JSON");
                    self.reply_error(id, PARSE_ERROR, &format!("Parse error: {e}"));
                }
                return None;
            }
        };
        let Value::Object(message) = &value else {
            self.reply_error(
                None,
                INVALID_REQUEST,
                "Invalid request: a message must be one JSON object (batches are not supported)",
            );
            return None;
        };
        let id = message.get("id").filter(|id| is_valid_id(id)).cloned();
        let bad_id = message.contains_key("id") && id.is_none();
        let invalid = |this: &Self, why: &str| {
            this.reply_error(
                id.clone(),
                INVALID_REQUEST,
                &format!("Invalid request: {why}"),
            );
            None
        };
        if message.get("jsonrpc") != Some(&Value::String("2.0".into())) {
            return invalid(self, "\"jsonrpc\" must be \"2.0\"");
        }
        if bad_id {
            return invalid(self, "\"id\" must be a string or an integer");
        }
        let Some(method) = message.get("method") else {
            // A response (to a request of ours) or nonsense.
            if message.contains_key("result") || message.contains_key("error") {
                if !self.initialized {
                    tracing::debug!("ignored a response before initialize");
                    return None;
                }
                return serde_json::from_value(value)
                    .map_err(|_| tracing::debug!("ignored a malformed response"))
                    .ok();
            }
            return invalid(
                self,
                "a message needs a \"method\", or a \"result\" or \"error\"",
            );
        };
        let Some(method) = method.as_str().map(str::to_owned) else {
            return invalid(self, "\"method\" must be a string");
        };
        let method = method.as_str();
        let is_request = id.is_some();
        let params = message.get("params").cloned();
        if !is_request {
            if !self.initialized {
                tracing::debug!(method, "ignored a notification before initialize");
                return None;
            }
            return serde_json::from_value(value)
                .map_err(|_| tracing::debug!(method, "ignored a malformed notification"))
                .ok();
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
            self.reply_error(id, INVALID_PARAMS, &format!("Invalid params: {problem}"));
            return None;
        }
        match serde_json::from_value::<ClientJsonRpcMessage>(value) {
            Ok(message) => {
                if let ClientJsonRpcMessage::Request(request) = &message
                    && matches!(request.request, ClientRequest::InitializeRequest(_))
                {
                    self.initialized = true;
                }
                Some(message)
            }
            Err(e) => {
                self.reply_error(
                    id,
                    INVALID_PARAMS,
                    &format!("Invalid params for {method}: {e}"),
                );
                None
            }
        }
    }
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

#[cfg(test)]
mod tests;
