//! The `thrive-blocks` command line: what hosts in other languages and
//! people use to list, describe, validate and run tools.
//!
//! Exit codes: `0` success (a partial success, HTTP 207, too, with a note on
//! stderr); `2` invalid input or flags, unknown tool or refused host (nothing
//! was sent); `3` Thrive answered with an error, or the call failed in
//! transport or timed out; `4` a partial success under `--fail-on-partial`;
//! `1` anything else (I/O, stale manifests).

#[cfg(feature = "sandbox")]
use crate::api::Origin;
use crate::api::{Context, ProgressFn, RetryPolicy};
use crate::catalogue::Catalogue;
use crate::error::{Error, ErrorCode};
use clap::{Parser, Subcommand};
use serde_json::Value;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

/// Every Thrive Learning API operation as a tool block.
#[derive(Debug, Parser)]
#[command(name = "thrive-blocks", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
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
    Listen(crate::host::listen::ListenArgs),
    /// Run an onboarding-to-compliance workflow against the embedded sandbox.
    #[cfg(feature = "sandbox")]
    Demo {
        /// Seed of the sandbox's demo data.
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
}

/// Options of `run`.
#[derive(Debug, clap::Args)]
struct RunArgs {
    /// The tool id (not with --batch).
    #[arg(required_unless_present = "batch", conflicts_with = "batch")]
    id: Option<String>,
    /// Read one step per line from standard input (`{"tool", "params", "id"}`)
    /// and write one result per line; --params gives every step's defaults.
    #[arg(long, conflicts_with = "dry_run")]
    batch: bool,
    /// Steps run at once in --batch mode (results are written as they complete).
    #[arg(long, default_value_t = 1, requires = "batch")]
    concurrency: usize,
    /// Parameters: inline JSON, @file, or - for standard input. Connection
    /// inputs left out are taken from THRIVE_TENANT_ID, THRIVE_API_KEY,
    /// THRIVE_HOST, THRIVE_CLIENT_ID and THRIVE_SCOPE when set.
    #[arg(long, short, default_value = "{}")]
    params: String,
    /// Print the HTTP request that would be sent (credentials masked) instead of sending it.
    #[arg(long)]
    dry_run: bool,
    /// Run against a fresh embedded, in-process sandbox with demo data instead
    /// of Thrive. The sandbox's connection replaces every connection input
    /// (tenantId, apiKey, host, clientId, scope) and THRIVE_* variable. It
    /// forgets everything when the command ends: for several steps that build
    /// on each other, start `thrive-blocks sandbox` and use its exports.
    #[cfg(feature = "sandbox")]
    #[arg(long)]
    sandbox: bool,
    /// Seconds allowed for each HTTP attempt (more than 0, at most 86400).
    #[arg(long, default_value_t = 30.0, allow_negative_numbers = true)]
    timeout: f64,
    /// Retries after the first attempt: a GET on 429, 500, 502, 503, 504, a
    /// timeout or a lost connection; any method on 429 or when the connection
    /// could not be opened.
    #[arg(long, default_value_t = 4, allow_negative_numbers = true)]
    retries: u32,
    /// Exit 4 when Thrive answered 207 (some items failed) instead of 0.
    #[arg(long)]
    fail_on_partial: bool,
    /// Print the output on one line.
    #[arg(long)]
    compact: bool,
}

/// Options of `serve`.
#[cfg(feature = "server")]
#[derive(Debug, clap::Args)]
struct ServeArgs {
    /// The address to listen on (`HOST:PORT`; `localhost:PORT` works too).
    #[arg(long, default_value = "127.0.0.1:8787", value_parser = parse_bind)]
    bind: std::net::SocketAddr,
    /// Start an embedded, in-process sandbox with demo data, allow its origin and
    /// make it the default connection: requests (and the playground at /ui) that
    /// give no connection use it. Without it, THRIVE_TENANT_ID and THRIVE_API_KEY
    /// (with THRIVE_HOST, THRIVE_CLIENT_ID, THRIVE_SCOPE), when set, are the
    /// default connection. A request's own connection always wins.
    #[cfg(feature = "sandbox")]
    #[arg(long)]
    sandbox: bool,
    /// Webhook receiver and polling triggers.
    #[command(flatten)]
    triggers: crate::host::listen::ServeTriggerArgs,
    #[command(flatten)]
    limits: ServerLimitArgs,
}

/// Who may call a server, its limits and timeouts (`serve`, `mcp --http`).
#[cfg(feature = "server")]
#[derive(Debug, clap::Args)]
struct ServerLimitArgs {
    /// A host name clients may use in `Host` besides localhost, loopback
    /// addresses and the address they connected to (repeat, or comma-separate;
    /// `*` allows any, e.g. behind a proxy that checks it).
    #[arg(
        long = "allowed-host",
        value_name = "NAME",
        env = "THRIVE_BLOCKS_ALLOWED_HOSTS",
        value_delimiter = ','
    )]
    allowed_hosts: Vec<String>,
    /// A browser origin (`https://app.example.com`) allowed to call the server
    /// besides its own (repeat, or comma-separate; `*` allows any).
    #[arg(
        long = "allow-origin",
        value_name = "ORIGIN",
        env = "THRIVE_BLOCKS_ALLOWED_ORIGINS",
        value_delimiter = ','
    )]
    allowed_origins: Vec<String>,
    /// Seconds requests in flight get to finish after SIGTERM or SIGINT.
    #[arg(long, value_name = "SECS", default_value = "30", value_parser = seconds)]
    grace: Duration,
    /// Seconds allowed for a request's head (request line and headers).
    #[arg(long, value_name = "SECS", default_value = "10", value_parser = seconds)]
    header_timeout: Duration,
    /// Seconds a keep-alive connection may stay silent between requests.
    #[arg(long, value_name = "SECS", default_value = "60", value_parser = seconds)]
    idle_timeout: Duration,
    /// Seconds one request may take from its head to its answer (504 after).
    #[arg(long, value_name = "SECS", default_value = "300", value_parser = seconds)]
    request_timeout: Duration,
    /// Connections served at once; more are answered 503.
    #[arg(long, value_name = "N", default_value_t = crate::host::http::DEFAULT_MAX_CONNECTIONS)]
    max_connections: usize,
    /// Runs executing at once; more are answered 503.
    #[arg(long, value_name = "N", default_value_t = crate::host::http::DEFAULT_MAX_RUNS)]
    max_runs: usize,
}

#[cfg(feature = "server")]
impl ServerLimitArgs {
    fn options(&self, token: Option<String>) -> crate::host::http::ServerOptions {
        crate::host::http::ServerOptions {
            token,
            allowed_hosts: self.allowed_hosts.clone(),
            allowed_origins: self.allowed_origins.clone(),
            grace: self.grace,
            header_timeout: self.header_timeout,
            idle_timeout: self.idle_timeout,
            request_timeout: self.request_timeout,
            max_connections: self.max_connections.max(1),
            max_runs: self.max_runs.max(1),
            default_connection: None,
            webhooks: None,
        }
    }
}

/// A positive number of seconds up to a day.
#[cfg(feature = "server")]
fn seconds(text: &str) -> Result<Duration, String> {
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
struct McpArgs {
    /// Start an embedded, in-process sandbox with demo data and call it with its
    /// credentials instead of the THRIVE_* variables.
    #[cfg(feature = "sandbox")]
    #[arg(long)]
    sandbox: bool,
    /// Serve MCP's streamable HTTP transport at http://ADDR/mcp instead of
    /// stdio. Beyond loopback, THRIVE_BLOCKS_SERVER_TOKEN must be set and is
    /// required as a bearer token.
    #[arg(long, value_name = "ADDR")]
    http: Option<std::net::SocketAddr>,
    /// With --http: who may call, limits and timeouts, as for `serve`.
    #[command(flatten)]
    limits: ServerLimitArgs,
}

/// The server token from THRIVE_BLOCKS_SERVER_TOKEN, if set (an empty one is an error).
#[cfg(feature = "server")]
fn server_token() -> Result<Option<String>, Error> {
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

/// Parses the process arguments and runs the command.
pub async fn main() -> ExitCode {
    init_tracing();
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if let Some(help) = run_help(&args) {
        let _ = write!(std::io::stdout(), "{help}");
        return ExitCode::SUCCESS;
    }
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => return flag_error(&e),
    };
    match run(cli).await {
        Ok(code) => code,
        Err(e) => {
            print_error(&e);
            exit_code_for(&e)
        }
    }
}

fn init_tracing() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn"));
    let filter = without_payloads(filter);
    // Colour only for a person at a terminal: log files, pipes and the MCP
    // host's captured stderr get plain text.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr)
        .try_init();
}

/// The environment variable that lets debug logs show tool arguments,
/// results and request paths (which hold user emails and names): `1`.
pub const LOG_PAYLOADS_ENV: &str = "THRIVE_BLOCKS_LOG_PAYLOADS";

/// `filter` with the log targets that print user data (rmcp's messages at
/// debug and info, the runtime's request paths) held at `warn`, unless
/// [`LOG_PAYLOADS_ENV`] is `1`.
fn without_payloads(filter: tracing_subscriber::EnvFilter) -> tracing_subscriber::EnvFilter {
    if std::env::var(LOG_PAYLOADS_ENV).is_ok_and(|v| v.trim() == "1") {
        return filter;
    }
    ["rmcp=warn", "thrive_blocks::api::runtime=warn"]
        .into_iter()
        .filter_map(|d| d.parse().ok())
        .fold(filter, |f, d| f.add_directive(d))
}

/// `run <id> --help` (or `-h`): the `run` flags, then the tool described.
/// `None` when the arguments ask for something else or the id is unknown
/// (clap then answers as usual).
fn run_help(args: &[std::ffi::OsString]) -> Option<String> {
    use clap::CommandFactory;
    let words: Vec<&str> = args
        .iter()
        .skip(1)
        .map(|a| a.to_str())
        .collect::<Option<_>>()?;
    let (first, rest) = words.split_first()?;
    if *first != "run" || !rest.iter().any(|w| matches!(*w, "--help" | "-h")) {
        return None;
    }
    let id = rest.iter().find(|w| !w.starts_with('-'))?;
    let tool = Catalogue::global().get(id).ok()?;
    let mut command = Cli::command();
    let run = command.find_subcommand_mut("run")?;
    let usage = run.render_help().to_string();
    Some(format!("{usage}\n{}", crate::host::describe::text(tool)))
}

/// A command-line error as the JSON error object (exit 2); help and
/// version requests are printed as clap renders them (exit 0).
fn flag_error(e: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = e.print();
            ExitCode::SUCCESS
        }
        _ => {
            let rendered = e.render().to_string();
            let message = rendered
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("invalid command line")
                .trim_start_matches("error: ")
                .to_owned();
            let usage = rendered
                .lines()
                .find(|l| l.starts_with("Usage:"))
                .map(|l| format!(" ({l})"))
                .unwrap_or_default();
            print_error(&Error::field("", format!("{message}{usage}")));
            ExitCode::from(2)
        }
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

/// The exit code for a failed step.
pub fn exit_code_for(e: &Error) -> ExitCode {
    match e.code() {
        ErrorCode::InvalidInput | ErrorCode::UnknownTool | ErrorCode::HostNotAllowed => {
            ExitCode::from(2)
        }
        _ => ExitCode::from(3),
    }
}

/// The exit code of a partial success under `--fail-on-partial`.
pub const EXIT_PARTIAL: u8 = 4;

fn print_error(e: &Error) {
    let text = serde_json::to_string_pretty(&e.to_json()).unwrap_or_else(|_| e.to_string());
    let _ = writeln!(std::io::stderr(), "{text}");
}

fn print_json(value: &Value, compact: bool) {
    let text = if compact {
        value.to_string()
    } else {
        serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
    };
    let _ = writeln!(std::io::stdout(), "{text}");
}

/// Reads `--params`: inline JSON, `@file` or `-` (standard input).
fn read_params(arg: &str) -> Result<Value, Error> {
    let text = if arg == "-" {
        let mut buf = String::new();
        std::io::stdin().read_to_string(&mut buf).map_err(|e| {
            Error::field(
                "",
                format!("could not read parameters from standard input: {e}"),
            )
        })?;
        buf
    } else if let Some(path) = arg.strip_prefix('@') {
        std::fs::read_to_string(path)
            .map_err(|e| Error::field("", format!("could not read parameters from {path}: {e}")))?
    } else {
        arg.to_owned()
    };
    serde_json::from_str(&text)
        .map_err(|e| Error::field("", format!("--params is not valid JSON: {e}")))
}

async fn run(cli: Cli) -> Result<ExitCode, Error> {
    let catalogue = Catalogue::global();
    match cli.command {
        Command::List { json, triggers } if triggers => {
            for t in catalogue.triggers() {
                let m = t.meta();
                let line = if json {
                    serde_json::json!({"id": m.id, "title": m.title, "description": m.description})
                        .to_string()
                } else {
                    format!("{:36}  {}", m.id, m.description)
                };
                let _ = writeln!(std::io::stdout(), "{line}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::List { json, .. } => {
            if json {
                let list: Vec<Value> = catalogue
                    .tools()
                    .map(|t| {
                        let m = t.meta();
                        serde_json::json!({"id": m.id, "title": m.title, "description": m.description})
                    })
                    .collect();
                print_json(&Value::Array(list), false);
            } else {
                let width = catalogue
                    .tools()
                    .map(|t| t.meta().id.len())
                    .max()
                    .unwrap_or(0);
                let title_width = catalogue
                    .tools()
                    .map(|t| t.meta().title.chars().count())
                    .max()
                    .unwrap_or(0);
                let mut out = std::io::stdout().lock();
                for t in catalogue.tools() {
                    let m = t.meta();
                    let _ = writeln!(
                        out,
                        "{:width$}  {:title_width$}  {}",
                        m.id, m.title, m.description
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Schema { id, .. } if id.starts_with("thrive_on_") => {
            print_json(&catalogue.trigger(&id)?.manifest(), false);
            Ok(ExitCode::SUCCESS)
        }
        Command::Describe { id, json } => {
            let tool = catalogue.get(&id)?;
            if json {
                print_json(&crate::host::describe::to_json(tool), false);
            } else {
                let _ = write!(std::io::stdout(), "{}", crate::host::describe::text(tool));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Schema { id, flavour } => {
            let tool = catalogue.get(&id)?;
            match flavour {
                None => print_json(&tool.manifest(), false),
                Some(name) => {
                    let Some(flavour) = crate::flavours::Flavour::from_name(&name) else {
                        let names: Vec<&str> = crate::flavours::Flavour::ALL
                            .iter()
                            .map(|f| f.name())
                            .collect();
                        return Err(crate::Error::field(
                            "/flavour",
                            format!("flavour {name:?} is not one of {}", names.join(", ")),
                        ));
                    };
                    print_json(&tool.schema(flavour), false);
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Validate {
            id,
            params,
            no_connection,
            #[cfg(feature = "sandbox")]
            sandbox,
        } => {
            #[cfg(feature = "sandbox")]
            let no_connection = no_connection || sandbox;
            let mut params = read_params(&params)?;
            if let Value::Object(map) = &mut params {
                if no_connection {
                    // A stand-in connection that passes every check, so only
                    // the tool's own inputs are reported.
                    replace_connection(map, "eu-west-2_Placeholder", "placeholder", None);
                } else {
                    crate::params::Connection::fill_from_env(map);
                }
            }
            catalogue.validate(&id, params)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Run(args) => run_tool(catalogue, args).await,
        Command::Listen(args) => crate::host::listen::listen(args).await,
        Command::Manifests { out, check } => manifests(catalogue, &out, check),
        #[cfg(feature = "server")]
        Command::Serve(args) => serve(catalogue, args).await,
        #[cfg(feature = "mcp")]
        Command::Mcp(args) => mcp(catalogue, args).await,
        #[cfg(feature = "sandbox")]
        Command::Sandbox(args) => crate::host::sandbox::run(args).await,
        #[cfg(feature = "sandbox")]
        Command::Demo { seed } => crate::host::demo::run(seed).await,
    }
}

async fn run_tool(catalogue: &'static Catalogue, args: RunArgs) -> Result<ExitCode, Error> {
    let mut params = read_params(&args.params)?;
    let timeout = Duration::try_from_secs_f64(args.timeout)
        .ok()
        .filter(|t| !t.is_zero() && *t <= MAX_TIMEOUT)
        .ok_or_else(|| {
            Error::field(
                "",
                format!(
                    "--timeout must be a number of seconds above 0 and at most {}, got {}",
                    MAX_TIMEOUT.as_secs(),
                    args.timeout
                ),
            )
        })?;
    let mut builder = Context::builder()
        .hosts(crate::api::HostPolicy::from_env())
        .timeout(timeout)
        .retry(RetryPolicy::default().with_max_attempts(args.retries.saturating_add(1)));
    if std::io::stderr().is_terminal() {
        builder = builder.progress(progress_bar());
    }

    #[cfg(feature = "sandbox")]
    let _sandbox = if args.sandbox {
        let sandbox = start_sandbox().await?;
        let origin = Origin::parse(&sandbox.base_url())?;
        builder = builder.allow_origin(origin);
        if let Value::Object(map) = &mut params {
            // One rule: the sandbox's connection replaces every connection
            // input and THRIVE_* variable (none of them is read).
            let cfg = sandbox.config();
            let given =
                replace_connection(map, &cfg.tenant_id, &cfg.api_key, Some(&sandbox.base_url()));
            if !given.is_empty() {
                let _ = writeln!(
                    std::io::stderr(),
                    "note: --sandbox replaces the connection inputs given ({})",
                    given.join(", ")
                );
            }
        }
        Some(sandbox)
    } else {
        None
    };
    // Credentials may come from the environment (THRIVE_TENANT_ID,
    // THRIVE_API_KEY, ...) so a key need not be typed on a command line,
    // where shell history and process lists would keep it.
    #[cfg(feature = "sandbox")]
    let from_env = !args.sandbox;
    #[cfg(not(feature = "sandbox"))]
    let from_env = true;
    if from_env && let Value::Object(map) = &mut params {
        crate::params::Connection::fill_from_env(map);
    }
    let ctx = builder.build();

    let Some(id) = args.id.as_deref() else {
        return crate::host::batch::run_stdio(catalogue, &ctx, params, args.concurrency).await;
    };
    if args.dry_run {
        let dry = catalogue.dry_run(id, params, &ctx)?;
        print_json(&dry.to_json(), args.compact);
        return Ok(ExitCode::SUCCESS);
    }
    let output = catalogue.execute(id, params, &ctx).await?;
    print_json(&output, args.compact);
    if output.get("partial") == Some(&Value::Bool(true)) {
        let failed = output
            .pointer("/result/failure/count")
            .and_then(Value::as_u64)
            .map(|n| format!("{n} item(s)"))
            .unwrap_or_else(|| "some items".to_owned());
        let _ = writeln!(
            std::io::stderr(),
            "note: partial success (HTTP 207): {failed} failed; see result.failure in the output{}",
            if args.fail_on_partial {
                ""
            } else {
                " (exit 0; --fail-on-partial exits 4)"
            }
        );
        if args.fail_on_partial {
            return Ok(ExitCode::from(EXIT_PARTIAL));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The longest `--timeout` accepted (a day; the call's own deadline is
/// shorter anyway).
const MAX_TIMEOUT: Duration = Duration::from_secs(86_400);

/// Replaces every connection input of `map` with the given connection and
/// returns the names of those that were given.
fn replace_connection(
    map: &mut serde_json::Map<String, Value>,
    tenant_id: &str,
    api_key: &str,
    host: Option<&str>,
) -> Vec<&'static str> {
    let given: Vec<&'static str> = crate::params::Connection::FIELDS
        .into_iter()
        .filter(|f| map.remove(*f).is_some())
        .collect();
    map.insert("tenantId".into(), tenant_id.into());
    map.insert("apiKey".into(), api_key.into());
    if let Some(host) = host {
        map.insert("host".into(), host.into());
    }
    given
}

/// `serve`: the HTTP block server until SIGTERM or SIGINT, then a graceful stop.
#[cfg(feature = "server")]
async fn serve(catalogue: &'static Catalogue, args: ServeArgs) -> Result<ExitCode, Error> {
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
    let mut default_connection = default_connection_from_env();
    #[cfg(feature = "sandbox")]
    let _sandbox = if args.sandbox {
        let sandbox = start_sandbox().await?;
        builder = builder.allow_origin(Origin::parse(&sandbox.base_url())?);
        let cfg = sandbox.config();
        default_connection = Some(
            crate::params::Connection::basic(cfg.tenant_id.clone(), cfg.api_key.clone())
                .with_host(sandbox.base_url()),
        );
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
        let connection = match (&_sandbox, &webhook_secret) {
            (Some(sandbox), Some(secret)) => {
                crate::host::listen::wire_sandbox(sandbox, addr, secret);
                let cfg = sandbox.config();
                let mut map = serde_json::Map::new();
                map.insert("tenantId".into(), cfg.tenant_id.clone().into());
                map.insert("apiKey".into(), cfg.api_key.clone().into());
                map.insert("host".into(), sandbox.base_url().into());
                map
            }
            _ => {
                let mut map = serde_json::Map::new();
                crate::params::Connection::fill_from_env(&mut map);
                map
            }
        };
        #[cfg(not(feature = "sandbox"))]
        let connection = {
            let mut map = serde_json::Map::new();
            crate::params::Connection::fill_from_env(&mut map);
            map
        };
        args.triggers
            .start_pollers(receiver.log(), &ctx, connection)?;
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
    let mut options = args.limits.options(token);
    options.default_connection = default_connection;
    options.webhooks = webhooks.map(|(receiver, _)| receiver);
    let shutdown = crate::host::shutdown::signal();
    crate::host::http::serve_with_shutdown(listener, catalogue, ctx, options, shutdown)
        .await
        .map_err(|e| io("the server failed", e))?;
    Ok(ExitCode::SUCCESS)
}

/// The default connection of `serve` from THRIVE_TENANT_ID and
/// THRIVE_API_KEY (plus THRIVE_HOST, THRIVE_CLIENT_ID and THRIVE_SCOPE),
/// when both are set.
#[cfg(feature = "server")]
fn default_connection_from_env() -> Option<crate::params::Connection> {
    let mut map = serde_json::Map::new();
    crate::params::Connection::fill_from_env(&mut map);
    serde_json::from_value(Value::Object(map)).ok()
}

/// `mcp`: the MCP server on stdin/stdout until the host closes stdin.
/// Standard output is the protocol channel: nothing else is written to it.
#[cfg(feature = "mcp")]
async fn mcp(catalogue: &'static Catalogue, args: McpArgs) -> Result<ExitCode, Error> {
    use crate::host::mcp::{self, McpServer};
    #[cfg_attr(not(feature = "sandbox"), allow(unused_mut))]
    let mut builder = Context::builder().hosts(crate::api::HostPolicy::from_env());
    #[cfg(feature = "sandbox")]
    let (_sandbox, connection) = if args.sandbox {
        let sandbox = start_sandbox().await?;
        builder = builder.allow_origin(Origin::parse(&sandbox.base_url())?);
        let cfg = sandbox.config();
        let connection =
            crate::params::Connection::basic(cfg.tenant_id.clone(), cfg.api_key.clone())
                .with_host(sandbox.base_url());
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
            crate::host::mcp_http::MCP_PATH
        );
        let options = args.limits.options(token);
        crate::host::mcp_http::serve(server, listener, options, crate::host::shutdown::signal())
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

/// Starts the embedded sandbox with its default demo tenant on a free
/// loopback port.
#[cfg(feature = "sandbox")]
async fn start_sandbox() -> Result<thrive_sandbox::Sandbox, Error> {
    thrive_sandbox::Sandbox::start(thrive_sandbox::SandboxConfig::default())
        .await
        .map_err(|e| {
            Error::new(
                ErrorCode::Transport,
                format!("could not start the sandbox: {e}"),
            )
        })
}

/// A progress bar on stderr for steps that fetch pages or send chunks.
fn progress_bar() -> ProgressFn {
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {pos}/{len} items {elapsed}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    Arc::new(move |p: crate::api::Progress| {
        if let Some(total) = p.total {
            bar.set_length(total);
        }
        bar.set_position(p.done);
        if p.total.is_some_and(|t| p.done >= t) {
            bar.finish_and_clear();
        }
    })
}

fn manifests(catalogue: &Catalogue, out: &Path, check: bool) -> Result<ExitCode, Error> {
    let (index, files) = catalogue.manifests();
    let mut wanted: Vec<(PathBuf, String)> = vec![(out.join("index.json"), pretty(&index))];
    for (id, manifest) in files.into_iter().chain(catalogue.trigger_manifests()) {
        wanted.push((out.join(format!("{id}.json")), pretty(&manifest)));
    }
    let io = |e: std::io::Error, p: &Path| {
        Error::new(ErrorCode::Transport, format!("{}: {e}", p.display()))
    };
    if check {
        if !out.is_dir() {
            let _ = writeln!(
                std::io::stderr(),
                "no manifests folder at {}: run this from the repository root, or give --out DIR",
                absolute(out).display()
            );
            return Ok(ExitCode::from(1));
        }
        let mut stale = Vec::new();
        for (path, text) in &wanted {
            if std::fs::read_to_string(path).ok().as_deref() != Some(text.as_str()) {
                stale.push(path.display().to_string());
            }
        }
        if let Ok(entries) = std::fs::read_dir(out) {
            for entry in entries.flatten() {
                let p = entry.path();
                if p.extension().is_some_and(|e| e == "json")
                    && !wanted.iter().any(|(w, _)| *w == p)
                {
                    stale.push(format!("{} (no such tool)", p.display()));
                }
            }
        }
        if stale.is_empty() {
            return Ok(ExitCode::SUCCESS);
        }
        let _ = writeln!(
            std::io::stderr(),
            "manifests in {} are stale; run `cargo run -- manifests` and commit:\n  {}",
            absolute(out).display(),
            stale.join("\n  ")
        );
        return Ok(ExitCode::from(1));
    }
    std::fs::create_dir_all(out).map_err(|e| io(e, out))?;
    for (path, text) in &wanted {
        std::fs::write(path, text).map_err(|e| io(e, path))?;
    }
    let _ = writeln!(
        std::io::stderr(),
        "wrote {} files to {}",
        wanted.len(),
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// `path` made absolute against the current directory, for messages.
fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_owned())
}

/// A listener that could not be bound: a port in use or a refused address
/// is the operator's to fix, so it is `invalid_input` (exit 2), not a
/// retryable transport failure.
pub(crate) fn bind_error(addr: std::net::SocketAddr, e: std::io::Error) -> Error {
    let why = match e.kind() {
        std::io::ErrorKind::AddrInUse => format!(
            "the address {addr} is already in use (another process listens there); \
             stop it or choose another port"
        ),
        std::io::ErrorKind::AddrNotAvailable => {
            format!("the address {addr} is not one of this machine's")
        }
        std::io::ErrorKind::PermissionDenied => {
            format!("no permission to listen on {addr} (ports below 1024 need privileges)")
        }
        _ => format!("could not listen on {addr}: {e}"),
    };
    Error::new(ErrorCode::InvalidInput, format!("--bind: {why}"))
}

fn pretty(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}
