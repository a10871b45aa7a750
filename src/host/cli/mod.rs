//! The `thrive-blocks` command line: what hosts in other languages and
//! people use to list, describe, validate and run tools.
//!
//! Exit codes: `0` success (a partial success, HTTP 207, too, with a note on
//! stderr); `2` invalid input or flags, unknown tool or refused host (nothing
//! was sent); `3` Thrive answered with an error, or the call failed in
//! transport or timed out; `4` a partial success under `--fail-on-partial`;
//! `1` anything else (I/O, stale manifests).

use crate::catalogue::Catalogue;
use crate::error::Error;
use crate::params::Connection;
pub use args::Cli;
use args::{Command, ExportTarget};
use clap::Parser;
use input::read_params;
pub use output::{EXIT_PARTIAL, exit_code_for};
use output::{print_error, print_json};
use run_tool::run_tool;
use serde_json::Value;
use startup::{absolute, manifests};
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

mod args;
pub mod describe;
pub mod input;
mod output;
mod run_tool;
#[cfg(feature = "server")]
mod servers;
#[cfg(feature = "mcp")]
use servers::mcp;
#[cfg(feature = "server")]
use servers::serve;
mod startup;

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
/// debug and info, the exchange's request paths) held at `warn`, unless
/// [`LOG_PAYLOADS_ENV`] is `1`.
fn without_payloads(filter: tracing_subscriber::EnvFilter) -> tracing_subscriber::EnvFilter {
    if std::env::var(LOG_PAYLOADS_ENV).is_ok_and(|v| v.trim() == "1") {
        return filter;
    }
    ["rmcp=warn", "thrive_blocks::api::exchange=warn"]
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
    Some(format!(
        "{usage}\n{}",
        crate::host::cli::describe::text(tool)
    ))
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

/// The flavour with this short name, or an error listing them.
fn flavour_named(name: &str) -> Result<crate::flavours::Flavour, Error> {
    crate::flavours::Flavour::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = crate::flavours::Flavour::ALL
            .iter()
            .map(|f| f.name())
            .collect();
        Error::field(
            "/flavour",
            format!("flavour {name:?} is not one of {}", names.join(", ")),
        )
    })
}

/// `export node-red`: writes the palette's generated files, or checks them.
fn export_node_red(catalogue: &Catalogue, out: &Path, check: bool) -> Result<ExitCode, Error> {
    use crate::host::export::node_red::{Outcome, export};
    let mut err = std::io::stderr().lock();
    match export(catalogue, out, check)? {
        Outcome::Written(n) => {
            let _ = writeln!(err, "wrote {n} generated files to {}", out.display());
            Ok(ExitCode::SUCCESS)
        }
        Outcome::Fresh => Ok(ExitCode::SUCCESS),
        Outcome::Stale(paths) => {
            let list: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
            let _ = writeln!(
                err,
                "the Node-RED palette in {} is stale; run `cargo run -- export node-red` and commit:\n  {}",
                absolute(out).display(),
                list.join("\n  ")
            );
            Ok(ExitCode::from(1))
        }
    }
}

async fn run(cli: Cli) -> Result<ExitCode, Error> {
    use crate::host::export::agents::AgentFormat;
    input::set_max_input_bytes(cli.max_input_bytes);
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
        Command::Schema { id, flavour } if id.starts_with("thrive_on_") => {
            let trigger = catalogue.trigger(&id)?;
            match flavour {
                None => print_json(&trigger.manifest(), false),
                Some(name) => {
                    let flavour = flavour_named(&name)?;
                    let schema = trigger.schema(flavour).ok_or_else(|| {
                        crate::Error::field(
                            "/flavour",
                            format!("{id} is a webhook trigger: it has no {name} schema (nothing to connect)"),
                        )
                    })?;
                    print_json(&schema, false);
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Describe { id, json } if id.starts_with("thrive_on_") => {
            let trigger = catalogue.trigger(&id)?;
            if json {
                print_json(&crate::host::cli::describe::trigger_json(trigger), false);
            } else {
                let text = crate::host::cli::describe::trigger_text(trigger);
                let _ = write!(std::io::stdout(), "{text}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Describe { id, json } => {
            let tool = catalogue.get(&id)?;
            if json {
                print_json(&crate::host::cli::describe::to_json(tool), false);
            } else {
                let _ = write!(
                    std::io::stdout(),
                    "{}",
                    crate::host::cli::describe::text(tool)
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Schema { id, flavour } => {
            let tool = catalogue.get(&id)?;
            match flavour {
                None => print_json(&tool.manifest(), false),
                Some(name) => print_json(&tool.schema(flavour_named(&name)?), false),
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
                    Connection::basic("eu-west-2_Placeholder", "placeholder").replace(map);
                } else {
                    Connection::fill_from_env(map);
                }
            }
            // A trigger's form value is checked as a tool's is.
            match catalogue.trigger(&id) {
                Ok(trigger) => trigger.validate(&params).map(|_| ())?,
                Err(_) => catalogue.validate(&id, params)?,
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Run(args) => run_tool(catalogue, args).await,
        Command::Listen(args) => crate::host::events::listen::listen(args).await,
        Command::Manifests { out, check } => manifests(catalogue, &out, check),
        Command::Export(ExportTarget::Openai(args)) => {
            crate::host::export::agents::run(catalogue, AgentFormat::OpenAi, &args)
        }
        Command::Export(ExportTarget::Gemini(args)) => {
            crate::host::export::agents::run(catalogue, AgentFormat::Gemini, &args)
        }
        Command::Export(ExportTarget::Anthropic(args)) => {
            crate::host::export::agents::run(catalogue, AgentFormat::Anthropic, &args)
        }
        Command::Export(ExportTarget::NodeRed { out, check }) => {
            export_node_red(catalogue, &out, check)
        }
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
