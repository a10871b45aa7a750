//! The MCP protocol side: listing tools, setting the log level, calling a tool.

use super::{INSTRUCTIONS, McpServer, ProgressSender};
use crate::api::Progress;
use crate::error::{Error, ErrorCode};
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, Implementation, ListToolsResult,
    PaginatedRequestParams, ServerCapabilities, ServerConfig, SetLevelRequestParams, Tool,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler};
use serde_json::{Value, json};
use std::sync::Arc;

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
