//! The command line: commands and their flags, as clap reads them.

#[cfg(feature = "server")]
use crate::error::{Error, ErrorCode};
use clap::{Parser, Subcommand};
use std::path::PathBuf;
#[cfg(feature = "server")]
use std::time::Duration;

/// Every Thrive Learning API operation as a tool block.
#[derive(Debug, Parser)]
#[command(name = "thrive-blocks", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub(super) command: Command,
    /// The largest input read from `--params @FILE`, `--params -` or one
    /// `run --batch` line, in bytes; a larger one is refused.
    #[arg(
        long,
        global = true,
        value_name = "BYTES",
        env = super::input::MAX_INPUT_ENV,
        default_value_t = super::input::DEFAULT_MAX_INPUT_BYTES
    )]
    pub(super) max_input_bytes: u64,
}

#[derive(Debug, Subcommand)]
pub(super) enum Command {
    /// List every tool: id, title and one-line description.
    List {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// List the triggers (thrive_on_...) instead of the tools.
        #[arg(long)]
        triggers: bool,
    },
    /// Describe a tool for a person: its own inputs as a table (name, required,
    /// type, allowed values, default, description, example), its output's
    /// top-level fields and an example `run` line. Same as `run <id> --help`.
    Describe {
        /// The tool id, e.g. thrive_create_user.
        id: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Print a tool's manifest (metadata and every schema flavour), or one flavour.
    Schema {
        /// The tool id, e.g. thrive_create_user.
        id: String,
        /// Print only this flavour: input, output, form, ui, jsonforms,
        /// connection, connection-ui, portable, strict or portable-output.
        #[arg(long)]
        flavour: Option<String>,
    },
    /// Validate parameters without sending anything: exit 0, or a JSON error list.
    Validate {
        /// The tool id.
        id: String,
        /// Parameters: inline JSON, @file, or - for standard input (connection
        /// inputs left out are taken from THRIVE_TENANT_ID, THRIVE_API_KEY, ...).
        #[arg(long, short, default_value = "{}")]
        params: String,
        /// Check only the tool's own inputs: connection inputs given or set in
        /// THRIVE_* variables are ignored and none is required.
        #[arg(long)]
        no_connection: bool,
        /// As for `run --sandbox`, the sandbox's connection replaces every
        /// connection input and variable, so only the tool's own inputs are
        /// checked (nothing is started).
        #[cfg(feature = "sandbox")]
        #[arg(long)]
        sandbox: bool,
    },
    /// Run a tool and print its output JSON (`run <id> --help` describes the tool).
    Run(RunArgs),
    /// Write manifests/index.json and one manifests/<id>.json per tool.
    Manifests {
        /// The folder to write to.
        #[arg(long, default_value = "manifests")]
        out: PathBuf,
        /// Do not write; fail if the files on disk differ from the code.
        #[arg(long)]
        check: bool,
    },
    /// Generate an integration for a workflow builder from the catalogue.
    #[command(subcommand)]
    Export(ExportTarget),
    /// Serve the catalogue over HTTP (GET /tools, POST /tools/{id}/run, ...).
    #[cfg(feature = "server")]
    Serve(ServeArgs),
    /// Serve the catalogue to an MCP host over stdio (the connection from
    /// THRIVE_TENANT_ID, THRIVE_API_KEY, THRIVE_HOST, THRIVE_CLIENT_ID, THRIVE_SCOPE).
    #[cfg(feature = "mcp")]
    Mcp(McpArgs),
    /// Serve a sandbox that keeps its state until stopped (and across restarts
    /// with --state FILE), and print the THRIVE_* exports that point `run` at it.
    #[cfg(feature = "sandbox")]
    Sandbox(crate::host::sandbox::SandboxArgs),
    /// Print trigger events from the event store, one JSON object per line.
    Listen(crate::host::events::listen::ListenArgs),
    /// Run an onboarding-to-compliance workflow against the embedded sandbox.
    #[cfg(feature = "sandbox")]
    Demo {
        /// Seed of the sandbox's demo data.
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
}

/// What `export` generates.
#[derive(Debug, Subcommand)]
pub(super) enum ExportTarget {
    /// The Node-RED palette (npm package node-red-contrib-thrive-blocks): one
    /// node per resource, the trigger node and the config node.
    NodeRed {
        /// The package folder (its hand-written files are left in place).
        #[arg(long, default_value = crate::host::export::node_red::DEFAULT_OUT)]
        out: PathBuf,
        /// Do not write; fail if the generated files differ from the catalogue.
        #[arg(long)]
        check: bool,
    },
    /// OpenAI function tools in strict mode, for an agent framework:
    /// `[{"type": "function", "function": {name, description, parameters, "strict": true}}]`.
    Openai(crate::host::export::agents::ExportArgs),
    /// Gemini function declarations, for an agent framework:
    /// `[{name, description, parameters}]`.
    Gemini(crate::host::export::agents::ExportArgs),
    /// Anthropic tools, for an agent framework: `[{name, description, input_schema}]`.
    Anthropic(crate::host::export::agents::ExportArgs),
}

/// Options of `run`.
#[derive(Debug, clap::Args)]
pub(super) struct RunArgs {
    /// The tool id (not with --batch).
    #[arg(required_unless_present = "batch", conflicts_with = "batch")]
    pub(super) id: Option<String>,
    /// Read one step per line from standard input (`{"tool", "params", "id"}`)
    /// and write one result per line; --params gives every step's defaults.
    #[arg(long, conflicts_with = "dry_run")]
    pub(super) batch: bool,
    /// Steps run at once in --batch mode (results are written as they complete).
    #[arg(long, default_value_t = 1, requires = "batch")]
    pub(super) concurrency: usize,
    /// Parameters: inline JSON, @file, or - for standard input. Connection
    /// inputs left out are taken from THRIVE_TENANT_ID, THRIVE_API_KEY,
    /// THRIVE_HOST, THRIVE_CLIENT_ID and THRIVE_SCOPE when set.
    #[arg(long, short, default_value = "{}")]
    pub(super) params: String,
    /// Print the HTTP request that would be sent (credentials masked) instead of sending it.
    #[arg(long)]
    pub(super) dry_run: bool,
    /// Run against a fresh embedded, in-process sandbox with demo data instead
    /// of Thrive. The sandbox's connection replaces every connection input
    /// (tenantId, apiKey, host, clientId, scope) and THRIVE_* variable. It
    /// forgets everything when the command ends: for several steps that build
    /// on each other, start `thrive-blocks sandbox` and use its exports.
    #[cfg(feature = "sandbox")]
    #[arg(long)]
    pub(super) sandbox: bool,
    /// Seconds allowed for each HTTP attempt (more than 0, at most 86400).
    #[arg(long, default_value_t = 30.0, allow_negative_numbers = true)]
    pub(super) timeout: f64,
    /// Retries after the first attempt: a GET on 429, 500, 502, 503, 504, a
    /// timeout or a lost connection; any method on 429 or when the connection
    /// could not be opened.
    #[arg(long, default_value_t = 4, allow_negative_numbers = true)]
    pub(super) retries: u32,
    /// Exit 4 when Thrive answered 207 (some items failed) instead of 0.
    #[arg(long)]
    pub(super) fail_on_partial: bool,
    /// Print the output on one line.
    #[arg(long)]
    pub(super) compact: bool,
}

/// Options of `serve`.
#[cfg(feature = "server")]
#[derive(Debug, clap::Args)]
pub(super) struct ServeArgs {
    /// The address to listen on (`HOST:PORT`; `localhost:PORT` works too).
    #[arg(long, default_value = "127.0.0.1:8787", value_parser = parse_bind)]
    pub(super) bind: std::net::SocketAddr,
    /// Start an embedded, in-process sandbox with demo data, allow its origin and
    /// make it the default connection: requests (and the playground at /ui) that
    /// give no connection use it. Without it, THRIVE_TENANT_ID and THRIVE_API_KEY
    /// (with THRIVE_HOST, THRIVE_CLIENT_ID, THRIVE_SCOPE), when set, are the
    /// default connection. A request's own connection always wins.
    #[cfg(feature = "sandbox")]
    #[arg(long)]
    pub(super) sandbox: bool,
    /// Webhook receiver and polling triggers.
    #[command(flatten)]
    pub(super) triggers: crate::host::events::listen::ServeTriggerArgs,
    #[command(flatten)]
    pub(super) limits: ServerLimitArgs,
}

/// Who may call a server, its limits and timeouts (`serve`, `mcp --http`).
#[cfg(feature = "server")]
#[derive(Debug, clap::Args)]
pub(super) struct ServerLimitArgs {
    /// A host name clients may use in `Host` besides localhost, loopback
    /// addresses and the address they connected to (repeat, or comma-separate;
    /// `*` allows any, e.g. behind a proxy that checks it).
    #[arg(
        long = "allowed-host",
        value_name = "NAME",
        env = "THRIVE_BLOCKS_ALLOWED_HOSTS",
        value_delimiter = ','
    )]
    pub(super) allowed_hosts: Vec<String>,
    /// A browser origin (`https://app.example.com`) allowed to call the server
    /// besides its own (repeat, or comma-separate; `*` allows any).
    #[arg(
        long = "allow-origin",
        value_name = "ORIGIN",
        env = "THRIVE_BLOCKS_ALLOWED_ORIGINS",
        value_delimiter = ','
    )]
    pub(super) allowed_origins: Vec<String>,
    /// Seconds requests in flight get to finish after SIGTERM or SIGINT.
    #[arg(long, value_name = "SECS", default_value = "30", value_parser = seconds)]
    pub(super) grace: Duration,
    /// Seconds allowed for a request's head (request line and headers).
    #[arg(long, value_name = "SECS", default_value = "10", value_parser = seconds)]
    pub(super) header_timeout: Duration,
    /// Seconds a keep-alive connection may stay silent between requests.
    #[arg(long, value_name = "SECS", default_value = "60", value_parser = seconds)]
    pub(super) idle_timeout: Duration,
    /// Seconds one request may take from its head to its answer (504 after).
    #[arg(long, value_name = "SECS", default_value = "300", value_parser = seconds)]
    pub(super) request_timeout: Duration,
    /// Connections served at once; more are answered 503.
    #[arg(long, value_name = "N", default_value_t = crate::host::http::DEFAULT_MAX_CONNECTIONS)]
    pub(super) max_connections: usize,
    /// Connections one client (peer address; an IPv6 /64) may hold at once;
    /// more are answered 503 [default: a quarter of --max-connections].
    /// Behind a reverse proxy every client has the proxy's address: raise it.
    #[arg(long, value_name = "N")]
    pub(super) max_connections_per_client: Option<usize>,
    /// Seconds for a request body to arrive whole after its head (408 after),
    /// plus a second per --min-body-rate bytes of it.
    #[arg(long, value_name = "SECS", default_value = "10", value_parser = seconds)]
    pub(super) body_timeout: Duration,
    /// Bytes per second a slow request body must keep up beyond --body-timeout.
    #[arg(long, value_name = "BYTES", default_value_t = crate::host::http::DEFAULT_MIN_BODY_RATE)]
    pub(super) min_body_rate: u64,
    /// Runs executing at once; more are answered 503.
    #[arg(long, value_name = "N", default_value_t = crate::host::http::DEFAULT_MAX_RUNS)]
    pub(super) max_runs: usize,
}

#[cfg(feature = "server")]
impl ServerLimitArgs {
    pub(super) fn options(&self, token: Option<String>) -> crate::host::http::ServerOptions {
        crate::host::http::ServerOptions {
            token,
            allowed_hosts: self.allowed_hosts.clone(),
            allowed_origins: self.allowed_origins.clone(),
            grace: self.grace,
            header_timeout: self.header_timeout,
            idle_timeout: self.idle_timeout,
            request_timeout: self.request_timeout,
            max_connections: self.max_connections.max(1),
            max_connections_per_client: self.max_connections_per_client,
            body_timeout: self.body_timeout,
            min_body_rate: self.min_body_rate.max(1),
            max_runs: self.max_runs.max(1),
            default_connection: None,
            webhooks: None,
        }
    }
}

/// A positive number of seconds up to a day.
#[cfg(feature = "server")]
pub(super) fn seconds(text: &str) -> Result<Duration, String> {
    let secs: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("{text:?} is not a number of seconds"))?;
    if !(secs > 0.0 && secs <= 86_400.0) {
        return Err(format!(
            "{text} must be more than 0 and at most 86400 seconds"
        ));
    }
    Ok(Duration::from_secs_f64(secs))
}

/// Options of `mcp`.
#[cfg(feature = "mcp")]
#[derive(Debug, clap::Args)]
pub(super) struct McpArgs {
    /// Start an embedded, in-process sandbox with demo data and call it with its
    /// credentials instead of the THRIVE_* variables.
    #[cfg(feature = "sandbox")]
    #[arg(long)]
    pub(super) sandbox: bool,
    /// Serve MCP's streamable HTTP transport at http://ADDR/mcp instead of
    /// stdio. Beyond loopback, THRIVE_BLOCKS_SERVER_TOKEN must be set and is
    /// required as a bearer token.
    #[arg(long, value_name = "ADDR")]
    pub(super) http: Option<std::net::SocketAddr>,
    /// With --http: who may call, limits and timeouts, as for `serve`.
    #[command(flatten)]
    pub(super) limits: ServerLimitArgs,
}

/// The server token from THRIVE_BLOCKS_SERVER_TOKEN, if set (an empty one is an error).
#[cfg(feature = "server")]
pub(super) fn server_token() -> Result<Option<String>, Error> {
    use crate::host::http::SERVER_TOKEN_ENV;
    match std::env::var(SERVER_TOKEN_ENV) {
        Ok(t) if t.trim().is_empty() => Err(Error::new(
            ErrorCode::InvalidInput,
            format!("{SERVER_TOKEN_ENV} is set but empty; unset it or give a secret"),
        )),
        Ok(t) => Ok(Some(t.trim().to_owned())),
        Err(_) => Ok(None),
    }
}

/// `--bind` accepts `HOST:PORT` with a name (`localhost:8787`) as well as
/// an IP address.
#[cfg(feature = "server")]
fn parse_bind(text: &str) -> Result<std::net::SocketAddr, String> {
    use std::net::ToSocketAddrs;
    if let Ok(addr) = text.parse() {
        return Ok(addr);
    }
    let mut addrs = text
        .to_socket_addrs()
        .map_err(|e| format!("`{text}` is not HOST:PORT ({e})"))?;
    addrs
        .next()
        .ok_or_else(|| format!("`{text}` resolves to no address"))
}
