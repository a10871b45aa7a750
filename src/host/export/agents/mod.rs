//! The catalogue as the tool lists agent frameworks take: OpenAI's strict
//! function tools, Gemini's function declarations and Anthropic's tools,
//! so an agent gets our tools without anyone writing schemas by hand.
//!
//! | format | shape | parameters |
//! |---|---|---|
//! | [`AgentFormat::OpenAi`] | `[{"type": "function", "function": {name, description, parameters, "strict": true}}]` | the strict flavour: every property required, optional ones nullable (`null` means absent), objects closed |
//! | [`AgentFormat::Gemini`] | `[{name, description, parameters?}]` (function declarations) | the portable flavour (Gemini's schema subset); left out for a tool without inputs, since Gemini refuses an object schema without properties |
//! | [`AgentFormat::Anthropic`] | `[{name, description, input_schema}]` | the portable flavour |
//!
//! Every function is named by the tool id; its description is the tool's
//! description with its cross-field rules (what the schema subset cannot
//! state) and the Thrive endpoint. The parameters are the tool's own inputs:
//! the connection (tenant, API key, host) is never asked of the model. The
//! program that runs the model's call adds it, e.g. by running
//! `thrive-blocks run <name> --params <arguments>` with the `THRIVE_*`
//! variables set, or by posting the arguments to a block server
//! (`thrive-blocks serve`) that has a default connection.
//!
//! ```
//! use thrive_blocks::Catalogue;
//! use thrive_blocks::host::export::agents::{self, AgentFormat};
//!
//! let catalogue = Catalogue::global();
//! let tools = agents::select(catalogue, &[], &["users".to_owned()]).unwrap();
//! let openai = agents::export(AgentFormat::OpenAi, &tools);
//! assert_eq!(openai[0]["type"], "function");
//! assert_eq!(openai[0]["function"]["strict"], true);
//! ```

use crate::catalogue::{Catalogue, CatalogueTool};
use crate::error::{Error, Violation};
use crate::flavours::Flavour;
use serde_json::{Map, Value, json};
use std::collections::BTreeSet;

/// An agent framework's tool list format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AgentFormat {
    /// OpenAI's function tools in strict mode (Chat Completions `tools`).
    OpenAi,
    /// Gemini's function declarations (`tools: [{functionDeclarations}]`).
    Gemini,
    /// Anthropic's tools (`tools` of the Messages API).
    Anthropic,
}

impl AgentFormat {
    /// The schema flavour the format's parameters are given in.
    pub fn flavour(self) -> Flavour {
        match self {
            AgentFormat::OpenAi => Flavour::Strict,
            AgentFormat::Gemini | AgentFormat::Anthropic => Flavour::Portable,
        }
    }
}

/// The tools of `catalogue` to export, in id order: those named in `ids`
/// and those of the `resources` (`users`, `audiences`, ...), or every tool
/// when both are empty. Fails with `unknown_tool` for an id no tool has,
/// and `invalid_input` (at `/resource`) for a resource no tool belongs to,
/// each with the closest known name.
pub fn select<'a>(
    catalogue: &'a Catalogue,
    ids: &[String],
    resources: &[String],
) -> Result<Vec<&'a CatalogueTool>, Error> {
    if ids.is_empty() && resources.is_empty() {
        return Ok(catalogue.tools().collect());
    }
    let known: BTreeSet<&str> = catalogue.tools().map(CatalogueTool::resource).collect();
    let unknown: Vec<Violation> = resources
        .iter()
        .filter(|r| !known.contains(r.as_str()))
        .map(|r| {
            Violation::new(
                "/resource",
                format!(
                    "no tool belongs to the resource {r:?}{}; resources: {}",
                    crate::suggest::did_you_mean(r, known.iter().copied()),
                    known.iter().copied().collect::<Vec<_>>().join(", ")
                ),
            )
        })
        .collect();
    if !unknown.is_empty() {
        return Err(Error::invalid_input(unknown));
    }
    let mut chosen: BTreeSet<&str> = BTreeSet::new();
    for id in ids {
        chosen.insert(catalogue.get(id)?.meta().id);
    }
    for tool in catalogue.tools() {
        if resources.iter().any(|r| r == tool.resource()) {
            chosen.insert(tool.meta().id);
        }
    }
    chosen.into_iter().map(|id| catalogue.get(id)).collect()
}

/// The tool list of `format` for `tools` (see the [module docs](self)).
pub fn export(format: AgentFormat, tools: &[&CatalogueTool]) -> Value {
    Value::Array(tools.iter().map(|t| function(format, t)).collect())
}

/// One tool as `format` describes a function.
pub fn function(format: AgentFormat, tool: &CatalogueTool) -> Value {
    let meta = tool.meta();
    let (description, parameters) = split_root(tool.schema(format.flavour()));
    let description = format!(
        "{} Thrive endpoint: {}.",
        description.as_deref().unwrap_or(meta.description),
        meta.endpoint
    );
    match format {
        AgentFormat::OpenAi => json!({
            "type": "function",
            "function": {
                "name": meta.id,
                "description": description,
                "parameters": parameters,
                "strict": true,
            },
        }),
        AgentFormat::Gemini => {
            let mut declaration = json!({"name": meta.id, "description": description});
            let has_inputs = parameters
                .get("properties")
                .and_then(Value::as_object)
                .is_some_and(|p| !p.is_empty());
            if has_inputs {
                declaration["parameters"] = Value::Object(parameters);
            }
            declaration
        }
        AgentFormat::Anthropic => json!({
            "name": meta.id,
            "description": description,
            "input_schema": parameters,
        }),
    }
}

/// The root of a flavour's schema without its title and description (the
/// function's name and description say them), and that description, which
/// carries the tool's cross-field rules.
fn split_root(schema: Value) -> (Option<String>, Map<String, Value>) {
    let mut root = match schema {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    root.remove("title");
    let description = match root.remove("description") {
        Some(Value::String(d)) if !d.trim().is_empty() => Some(d),
        _ => None,
    };
    (description, root)
}

/// Options of `export openai|gemini|anthropic`: which tools (every tool
/// when neither list is given; otherwise the tools named and those of the
/// resources named) and where to write.
#[cfg(feature = "cli")]
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ExportArgs {
    /// Only these tools: ids, comma-separated or the flag repeated (agents
    /// choose best among few tools).
    #[arg(long, value_name = "ID", value_delimiter = ',', value_parser = non_empty_name)]
    pub tools: Vec<String>,
    /// Only the tools of this resource (users, audiences, members, ...;
    /// comma-separated or repeated). With --tools, the tools of either.
    #[arg(long = "resource", value_name = "NAME", value_delimiter = ',', value_parser = non_empty_name)]
    pub resources: Vec<String>,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<std::path::PathBuf>,
}

/// `thrive-blocks export openai|gemini|anthropic`: the selected tools in
/// `format`, as indented JSON on standard output or in the file `--out`.
#[cfg(feature = "cli")]
pub fn run(
    catalogue: &Catalogue,
    format: AgentFormat,
    args: &ExportArgs,
) -> Result<std::process::ExitCode, Error> {
    use std::io::Write;
    let tools = select(catalogue, &args.tools, &args.resources)?;
    let list = export(format, &tools);
    let mut text = serde_json::to_string_pretty(&list).unwrap_or_else(|_| list.to_string());
    text.push('\n');
    match &args.out {
        Some(path) => std::fs::write(path, text).map_err(|e| {
            Error::field("/out", format!("could not write {}: {e}", path.display()))
        })?,
        None => std::io::stdout()
            .write_all(text.as_bytes())
            .map_err(|e| Error::field("", format!("could not write to standard output: {e}")))?,
    }
    Ok(std::process::ExitCode::SUCCESS)
}

/// A `--tools` or `--resource` name, trimmed; an empty one is refused.
#[cfg(feature = "cli")]
fn non_empty_name(text: &str) -> Result<String, String> {
    let name = text.trim();
    if name.is_empty() {
        return Err("an empty name: give ids or resources separated by commas".into());
    }
    Ok(name.to_owned())
}

#[cfg(test)]
mod tests;
