//! The `thrive-blocks` command line: what hosts in other languages and
//! people use to list, describe, validate and run tools.
//!
//! Exit codes: `0` success; `2` invalid input, unknown tool or refused host
//! (nothing was sent); `3` Thrive answered with an error, or the call failed
//! in transport or timed out; `1` anything else (I/O, stale manifests).

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
    },
    /// Run a tool and print its output JSON.
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
    /// Run against an embedded, in-process sandbox with demo data instead of Thrive
    /// (tenantId, apiKey and host are filled in when absent).
    #[cfg(feature = "sandbox")]
    #[arg(long)]
    sandbox: bool,
    /// Seconds allowed for each HTTP attempt.
    #[arg(long, default_value_t = 30.0)]
    timeout: f64,
    /// Retries after the first attempt (on 429, 502-504 and connection failures).
    #[arg(long, default_value_t = 4)]
    retries: u32,
    /// Print the output on one line.
    #[arg(long)]
    compact: bool,
}

/// Options of `serve`.
#[cfg(feature = "server")]
#[derive(Debug, clap::Args)]
struct ServeArgs {
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1:8787")]
    bind: std::net::SocketAddr,
    /// Start an embedded, in-process sandbox with demo data and allow its origin
    /// (its URL and credentials are printed on stderr).
    #[cfg(feature = "sandbox")]
    #[arg(long)]
    sandbox: bool,
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
}

/// Parses the process arguments and runs the command.
pub async fn main() -> ExitCode {
    init_tracing();
    let cli = Cli::parse();
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
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
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
        Command::List { json } => {
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
                let mut out = std::io::stdout().lock();
                for t in catalogue.tools() {
                    let m = t.meta();
                    let _ = writeln!(out, "{:width$}  {}", m.id, m.description);
                }
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
        Command::Validate { id, params } => {
            let mut params = read_params(&params)?;
            if let Value::Object(map) = &mut params {
                crate::params::Connection::fill_from_env(map);
            }
            catalogue.validate(&id, params)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Run(args) => run_tool(catalogue, args).await,
        Command::Manifests { out, check } => manifests(catalogue, &out, check),
        #[cfg(feature = "server")]
        Command::Serve(args) => serve(catalogue, args).await,
        #[cfg(feature = "mcp")]
        Command::Mcp(args) => mcp(catalogue, args).await,
        #[cfg(feature = "sandbox")]
        Command::Demo { seed } => crate::host::demo::run(seed).await,
    }
}

async fn run_tool(catalogue: &'static Catalogue, args: RunArgs) -> Result<ExitCode, Error> {
    let mut params = read_params(&args.params)?;
    if !args.timeout.is_finite() || args.timeout <= 0.0 {
        return Err(Error::field(
            "",
            "--timeout must be a positive number of seconds",
        ));
    }
    let mut builder = Context::builder()
        .hosts(crate::api::HostPolicy::from_env())
        .timeout(Duration::from_secs_f64(args.timeout))
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
            let cfg = sandbox.config();
            map.entry("tenantId")
                .or_insert_with(|| cfg.tenant_id.clone().into());
            map.entry("apiKey")
                .or_insert_with(|| cfg.api_key.clone().into());
            map.insert("host".into(), sandbox.base_url().into());
        }
        Some(sandbox)
    } else {
        None
    };
    // Credentials may come from the environment (THRIVE_TENANT_ID,
    // THRIVE_API_KEY, ...) so a key need not be typed on a command line,
    // where shell history and process lists would keep it.
    if let Value::Object(map) = &mut params {
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
    Ok(ExitCode::SUCCESS)
}

/// `serve`: the HTTP block server until Ctrl-C.
#[cfg(feature = "server")]
async fn serve(catalogue: &'static Catalogue, args: ServeArgs) -> Result<ExitCode, Error> {
    use crate::host::http::{SERVER_TOKEN_ENV, ServerOptions};
    let io =
        |what: &str, e: std::io::Error| Error::new(ErrorCode::Transport, format!("{what}: {e}"));
    let token = match std::env::var(SERVER_TOKEN_ENV) {
        Ok(t) if t.trim().is_empty() => {
            return Err(Error::new(
                ErrorCode::InvalidInput,
                format!("{SERVER_TOKEN_ENV} is set but empty; unset it or give a secret"),
            ));
        }
        Ok(t) => Some(t.trim().to_owned()),
        Err(_) => None,
    };
    if token.is_none() && !args.bind.ip().is_loopback() {
        tracing::warn!(bind = %args.bind, "serving beyond loopback without {SERVER_TOKEN_ENV}");
    }
    #[cfg_attr(not(feature = "sandbox"), allow(unused_mut))]
    let mut builder = Context::builder().hosts(crate::api::HostPolicy::from_env());
    #[cfg(feature = "sandbox")]
    let _sandbox = if args.sandbox {
        let sandbox = start_sandbox().await?;
        builder = builder.allow_origin(Origin::parse(&sandbox.base_url())?);
        Some(sandbox)
    } else {
        None
    };
    let listener = tokio::net::TcpListener::bind(args.bind)
        .await
        .map_err(|e| io(&format!("could not listen on {}", args.bind), e))?;
    let addr = listener
        .local_addr()
        .map_err(|e| io("could not read the bound address", e))?;
    let mut err = std::io::stderr().lock();
    let _ = writeln!(
        err,
        "thrive-blocks serving {} tools on http://{addr}",
        catalogue.len()
    );
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
    drop(err);
    let options = ServerOptions { token };
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    crate::host::http::serve_with_shutdown(listener, catalogue, builder.build(), options, shutdown)
        .await
        .map_err(|e| io("the server failed", e))?;
    Ok(ExitCode::SUCCESS)
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
    let connection = {
        let McpArgs {} = args;
        mcp::connection_from_env()?
    };
    let server = McpServer::new(catalogue, builder.build(), connection);
    server.check_connection()?;
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
    for (id, manifest) in files {
        wanted.push((out.join(format!("{id}.json")), pretty(&manifest)));
    }
    let io = |e: std::io::Error, p: &Path| {
        Error::new(ErrorCode::Transport, format!("{}: {e}", p.display()))
    };
    if check {
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
            "manifests are stale; run `cargo run -- manifests` and commit:\n  {}",
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

fn pretty(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}
