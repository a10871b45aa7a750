//! `serve` and `mcp`: the long-running hosts.

#[cfg(feature = "mcp")]
use super::args::McpArgs;
use super::args::{ServeArgs, server_token};
use super::startup::bind_error;
#[cfg(feature = "sandbox")]
use super::startup::{sandbox_connection, start_sandbox};
use crate::api::Context;
#[cfg(feature = "sandbox")]
use crate::api::Origin;
use crate::catalogue::Catalogue;
use crate::error::{Error, ErrorCode};
use crate::params::Connection;
use std::io::Write;
use std::process::ExitCode;

/// `serve`: the HTTP block server until SIGTERM or SIGINT, then a graceful stop.
#[cfg(feature = "server")]
pub(super) async fn serve(
    catalogue: &'static Catalogue,
    args: ServeArgs,
) -> Result<ExitCode, Error> {
    use crate::host::http::SERVER_TOKEN_ENV;
    let io =
        |what: &str, e: std::io::Error| Error::new(ErrorCode::Transport, format!("{what}: {e}"));
    let token = server_token()?;
    if token.is_none() && !args.bind.ip().is_loopback() {
        tracing::warn!(bind = %args.bind, "serving beyond loopback without {SERVER_TOKEN_ENV}");
    }
    #[cfg_attr(not(feature = "sandbox"), allow(unused_mut))]
    let mut builder = Context::builder().hosts(crate::api::HostPolicy::from_env());
    #[cfg_attr(not(feature = "sandbox"), allow(unused_mut))]
    let mut default_connection = Connection::from_env().ok();
    #[cfg(feature = "sandbox")]
    let _sandbox = if args.sandbox {
        let sandbox = start_sandbox().await?;
        builder = builder.allow_origin(Origin::parse(&sandbox.base_url())?);
        default_connection = Some(sandbox_connection(&sandbox));
        Some(sandbox)
    } else {
        None
    };
    #[cfg(feature = "sandbox")]
    let sandbox_tenant = _sandbox.as_ref().map(|s| s.config().tenant_id.clone());
    #[cfg(not(feature = "sandbox"))]
    let sandbox_tenant: Option<String> = None;
    // The sandbox signs its webhooks with a fresh secret the receiver knows.
    let webhook_secret = sandbox_tenant
        .as_ref()
        .map(|_| uuid::Uuid::new_v4().simple().to_string());
    let webhooks = if args.triggers.enabled(sandbox_tenant.is_some()) {
        Some(
            args.triggers
                .receiver(sandbox_tenant.as_deref(), webhook_secret.as_deref())?,
        )
    } else {
        None
    };
    let listener = tokio::net::TcpListener::bind(args.bind)
        .await
        .map_err(|e| bind_error(args.bind, e))?;
    let addr = listener
        .local_addr()
        .map_err(|e| io("could not read the bound address", e))?;
    let ctx = builder.build();
    let mut err = std::io::stderr().lock();
    let _ = writeln!(
        err,
        "thrive-blocks serving {} tools on http://{addr}",
        catalogue.len()
    );
    if let Some((receiver, path)) = &webhooks {
        let _ = writeln!(
            err,
            "webhooks: POST http://{addr}/webhooks/thrive/{{subscription}}, events in {} (GET /events, `thrive-blocks listen --store {}`)",
            path.display(),
            path.display()
        );
        #[cfg(feature = "sandbox")]
        if let (Some(sandbox), Some(secret)) = (&_sandbox, &webhook_secret) {
            crate::host::events::listen::wire_sandbox(sandbox, addr, secret);
        }
        // The pollers list with the server's own connection (the sandbox's
        // or the operator's), the one requests without a connection use.
        args.triggers
            .start_pollers(receiver.log(), &ctx, default_connection.as_ref())?;
    }
    #[cfg(feature = "sandbox")]
    if let Some(sandbox) = &_sandbox {
        let cfg = sandbox.config();
        let _ = writeln!(
            err,
            "sandbox: host {}, tenantId {}, apiKey {}",
            sandbox.base_url(),
            cfg.tenant_id,
            cfg.api_key
        );
    }
    if let Some(c) = &default_connection {
        let _ = writeln!(
            err,
            "default connection: tenantId {} (requests that give no connection use it)",
            c.tenant_id
        );
    }
    let _ = writeln!(err, "playground: http://{addr}/ui");
    drop(err);
    #[cfg(feature = "sandbox")]
    let sandbox_host = _sandbox.as_ref().map(|s| s.base_url());
    #[cfg(not(feature = "sandbox"))]
    let sandbox_host: Option<String> = None;
    print_ready_line(addr, catalogue.len(), webhooks.is_some(), sandbox_host);
    let mut options = args.limits.options(token);
    options.default_connection = default_connection;
    options.webhooks = webhooks.map(|(receiver, _)| receiver);
    let shutdown = crate::host::server::shutdown::signal();
    crate::host::http::serve_with_shutdown(listener, catalogue, ctx, options, shutdown)
        .await
        .map_err(|e| io("the server failed", e))?;
    Ok(ExitCode::SUCCESS)
}

/// Prints the line a supervisor waits for on standard output once `serve`
/// listens (nothing else is written there), e.g.
/// `{"ready":true,"url":"http://127.0.0.1:41234","tools":53,"webhooks":null,"sandbox":null}`:
/// with `--bind 127.0.0.1:0` it is the only way to learn the port.
#[cfg(feature = "server")]
fn print_ready_line(
    addr: std::net::SocketAddr,
    tools: usize,
    webhooks: bool,
    sandbox: Option<String>,
) {
    let url = format!("http://{addr}");
    let line = serde_json::json!({
        "ready": true,
        "url": url,
        "tools": tools,
        "webhooks": webhooks.then(|| format!("{url}/webhooks/thrive/{{subscription}}")),
        "sandbox": sandbox,
    });
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}").and_then(|()| out.flush());
}

/// `mcp`: the MCP server on stdin/stdout until the host closes stdin.
/// Standard output is the protocol channel: nothing else is written to it.
#[cfg(feature = "mcp")]
pub(super) async fn mcp(catalogue: &'static Catalogue, args: McpArgs) -> Result<ExitCode, Error> {
    use crate::host::mcp::{self, McpServer};
    #[cfg_attr(not(feature = "sandbox"), allow(unused_mut))]
    let mut builder = Context::builder().hosts(crate::api::HostPolicy::from_env());
    #[cfg(feature = "sandbox")]
    let (_sandbox, connection) = if args.sandbox {
        let sandbox = start_sandbox().await?;
        builder = builder.allow_origin(Origin::parse(&sandbox.base_url())?);
        let connection = sandbox_connection(&sandbox);
        (Some(sandbox), connection)
    } else {
        (None, mcp::connection_from_env()?)
    };
    #[cfg(not(feature = "sandbox"))]
    let connection = mcp::connection_from_env()?;
    let server = McpServer::new(catalogue, builder.build(), connection);
    server.check_connection()?;
    if let Some(addr) = args.http {
        use crate::host::http::SERVER_TOKEN_ENV;
        let token = server_token()?;
        if token.is_none() && !addr.ip().is_loopback() {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                format!(
                    "--http {addr} listens beyond loopback: set {SERVER_TOKEN_ENV} to a secret \
                     that clients send as a bearer token (the server calls Thrive with your \
                     connection for anyone who reaches it)"
                ),
            ));
        }
        let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| {
            Error::new(
                ErrorCode::Transport,
                format!("could not listen on {addr}: {e}"),
            )
        })?;
        let bound = listener.local_addr().map_err(|e| {
            Error::new(
                ErrorCode::Transport,
                format!("could not read the bound address: {e}"),
            )
        })?;
        let _ = writeln!(
            std::io::stderr(),
            "thrive-blocks serving {} tools over MCP on http://{bound}{}",
            catalogue.len(),
            crate::host::mcp::http::MCP_PATH
        );
        let options = args.limits.options(token);
        crate::host::mcp::http::serve(
            server,
            listener,
            options,
            crate::host::server::shutdown::signal(),
        )
        .await
        .map_err(|e| Error::new(ErrorCode::Transport, format!("the MCP server failed: {e}")))?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut err = std::io::stderr().lock();
    let _ = writeln!(
        err,
        "thrive-blocks serving {} tools over MCP on stdio",
        catalogue.len()
    );
    #[cfg(feature = "sandbox")]
    if let Some(sandbox) = &_sandbox {
        let _ = writeln!(
            err,
            "sandbox: host {}, tenantId {}",
            sandbox.base_url(),
            sandbox.config().tenant_id
        );
    }
    drop(err);
    mcp::serve_stdio(server)
        .await
        .map_err(|e| Error::new(ErrorCode::Transport, format!("the MCP server failed: {e}")))?;
    Ok(ExitCode::SUCCESS)
}
