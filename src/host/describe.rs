//! `thrive-blocks describe <id>` and `run <id> --help`: a tool's own inputs
//! as a table a person can read, its output's top-level fields, and an
//! example `run` line.
//!
//! The text is made from the tool's input and output JSON Schemas, so it is
//! never out of step with what `validate` and `run` accept.

use crate::catalogue::CatalogueTool;
use serde_json::{Value, json};
use std::fmt::Write as _;

/// One input as described to a person.
#[derive(Debug, Clone, PartialEq)]
pub struct InputRow {
    /// The input's name (`audienceId`).
    pub name: String,
    /// Whether it must be given.
    pub required: bool,
    /// The JSON type, with `JSON text` for list inputs given as JSON.
    pub kind: String,
    /// The allowed values of an enum, empty otherwise.
    pub allowed: Vec<String>,
    /// The default, when the schema or the description states one.
    pub default: Option<String>,
    /// The first sentence of the description.
    pub summary: String,
    /// An example value as JSON.
    pub example: Value,
}

/// The tool's own inputs (connection inputs left out), in schema order.
pub fn inputs(tool: &CatalogueTool) -> Vec<InputRow> {
    let schema = tool.input_schema();
    let required: Vec<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let Some(props) = schema.get("properties").and_then(Value::as_object) else {
        return Vec::new();
    };
    // The sandbox's demo users are EMP-00001..EMP-00300: a create's example
    // takes a free reference so it runs there as printed.
    let creates = tool.meta().id.starts_with("thrive_create_");
    props
        .iter()
        .filter(|(_, p)| p.get("x-thrive-credential") != Some(&Value::Bool(true)))
        .map(|(name, prop)| {
            let description = prop
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let allowed = enum_values(prop);
            let kind = kind_of(prop);
            let mut example = example_of(name, prop, &kind, &allowed, description);
            if creates && example == SEEDED_REF {
                example = Value::String(NEW_REF.to_owned());
            }
            InputRow {
                name: name.clone(),
                required: required.contains(&name.as_str()),
                example,
                kind,
                allowed,
                default: prop
                    .get("default")
                    .map(Value::to_string)
                    .or_else(|| stated_default(description)),
                summary: first_sentence(description),
            }
        })
        .collect()
}

/// The output's top-level fields: name, type, first sentence.
pub fn outputs(tool: &CatalogueTool) -> Vec<(String, String, String)> {
    let Some(props) = tool
        .output_schema()
        .get("properties")
        .and_then(Value::as_object)
    else {
        return Vec::new();
    };
    props
        .iter()
        .map(|(name, prop)| {
            let description = prop
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or_default();
            (name.clone(), kind_of(prop), first_sentence(description))
        })
        .collect()
}

/// An example input holding every required input (or the first input when
/// none is required), with example values.
pub fn example_params(tool: &CatalogueTool) -> Value {
    let rows = inputs(tool);
    let mut map = serde_json::Map::new();
    // `email` is required unless another input says otherwise (a rule the
    // schema cannot state), so the example gives it too.
    for row in rows.iter().filter(|r| r.required || r.name == "email") {
        map.insert(row.name.clone(), row.example.clone());
    }
    if map.is_empty()
        && let Some(first) = rows.iter().find(|r| r.name != "page")
    {
        map.insert(first.name.clone(), first.example.clone());
    }
    Value::Object(map)
}

/// A reference the sandbox's demo tenant has (used in examples).
const SEEDED_REF: &str = "EMP-00001";
/// The reference used in examples of create tools (free in the sandbox).
const NEW_REF: &str = "EMP-09001";

/// The example `run` line, quoted for a POSIX shell.
pub fn example_run(tool: &CatalogueTool) -> String {
    let params = example_params(tool).to_string().replace('\'', "'\\''");
    format!(
        "thrive-blocks run {} --sandbox --params '{params}'",
        tool.meta().id
    )
}

/// The whole description as text: title, what it does, the inputs table,
/// the output fields and the example line.
pub fn text(tool: &CatalogueTool) -> String {
    let meta = tool.meta();
    let mut out = String::new();
    let _ = writeln!(out, "{}: {}", meta.id, meta.title);
    let _ = writeln!(out, "{}", meta.description);
    let _ = writeln!(
        out,
        "{}  ({})",
        meta.endpoint,
        if meta.hints.read_only {
            "read-only"
        } else if meta.hints.idempotent {
            "write, idempotent"
        } else {
            "write, not idempotent: not retried once it may have reached Thrive"
        }
    );
    let rows = inputs(tool);
    let _ = writeln!(out, "\nInputs:");
    if rows.is_empty() {
        let _ = writeln!(out, "  (none besides the connection)");
    } else {
        let table: Vec<[String; 7]> = rows
            .iter()
            .map(|r| {
                [
                    r.name.clone(),
                    if r.required { "yes" } else { "no" }.to_owned(),
                    r.kind.clone(),
                    r.allowed.join("|"),
                    r.default.clone().unwrap_or_default(),
                    r.summary.clone(),
                    r.example.to_string(),
                ]
            })
            .collect();
        let header = [
            "name",
            "required",
            "type",
            "allowed values",
            "default",
            "description",
            "example",
        ]
        .map(str::to_owned);
        write_table(&mut out, &header, &table);
    }
    let _ = writeln!(
        out,
        "Connection inputs (every tool): tenantId, apiKey, host, clientId, scope; \
         taken from THRIVE_TENANT_ID, THRIVE_API_KEY, THRIVE_HOST, THRIVE_CLIENT_ID, \
         THRIVE_SCOPE when left out, or from the sandbox with --sandbox."
    );
    let fields = outputs(tool);
    let _ = writeln!(out, "\nOutput (top-level fields):");
    if fields.is_empty() {
        let _ = writeln!(out, "  (see `thrive-blocks schema {}`)", meta.id);
    } else {
        let table: Vec<[String; 3]> = fields.into_iter().map(|(n, k, s)| [n, k, s]).collect();
        write_table(
            &mut out,
            &["name", "type", "description"].map(str::to_owned),
            &table,
        );
    }
    let _ = writeln!(out, "\nExample:\n  {}", example_run(tool));
    out
}

/// The description as JSON (`describe --json`).
pub fn to_json(tool: &CatalogueTool) -> Value {
    let meta = tool.meta();
    json!({
        "id": meta.id,
        "title": meta.title,
        "description": meta.description,
        "endpoint": meta.endpoint,
        "inputs": inputs(tool).into_iter().map(|r| json!({
            "name": r.name,
            "required": r.required,
            "type": r.kind,
            "allowed": r.allowed,
            "default": r.default,
            "description": r.summary,
            "example": r.example,
        })).collect::<Vec<_>>(),
        "outputs": outputs(tool).into_iter().map(|(name, kind, summary)| json!({
            "name": name, "type": kind, "description": summary,
        })).collect::<Vec<_>>(),
        "example": example_run(tool),
    })
}

fn write_table<const N: usize>(out: &mut String, header: &[String; N], rows: &[[String; N]]) {
    let mut widths = header.each_ref().map(|h| h.chars().count());
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut line = |cells: &[String; N]| {
        let mut text = String::from("  ");
        for (i, cell) in cells.iter().enumerate() {
            if i + 1 == N {
                text.push_str(cell);
            } else {
                let pad = widths[i] - cell.chars().count();
                text.push_str(cell);
                text.push_str(&" ".repeat(pad + 2));
            }
        }
        let _ = writeln!(out, "{}", text.trim_end());
    };
    line(header);
    for row in rows {
        line(row);
    }
}

/// `string`, `integer`, `boolean`, `string (JSON text)`, `string|null`, ...
fn kind_of(prop: &Value) -> String {
    let base = match prop.get("type") {
        Some(Value::String(t)) => t.clone(),
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join("|"),
        _ => ["anyOf", "oneOf"]
            .iter()
            .filter_map(|k| prop.get(*k).and_then(Value::as_array))
            .flatten()
            .map(kind_of)
            .filter(|k| !k.is_empty())
            .collect::<Vec<_>>()
            .join("|"),
    };
    let whole = prop.get("multipleOf").and_then(Value::as_f64) == Some(1.0)
        || prop
            .get("format")
            .and_then(Value::as_str)
            .is_some_and(|f| f.starts_with("int") || f.starts_with("uint"));
    let base = if base == "number" && whole {
        "integer".to_owned()
    } else {
        base
    };
    if prop.get("contentMediaType").and_then(Value::as_str) == Some("application/json") {
        format!("{base} (JSON text)")
    } else {
        base
    }
}

fn enum_values(prop: &Value) -> Vec<String> {
    let show = |v: &Value| v.as_str().map_or_else(|| v.to_string(), str::to_owned);
    if let Some(values) = prop.get("enum").and_then(Value::as_array) {
        return values.iter().filter(|v| !v.is_null()).map(show).collect();
    }
    ["oneOf", "anyOf"]
        .iter()
        .filter_map(|k| prop.get(*k).and_then(Value::as_array))
        .flatten()
        .flat_map(|alt| {
            alt.get("const")
                .filter(|c| !c.is_null())
                .map(|c| vec![show(c)])
                .unwrap_or_else(|| enum_values(alt))
        })
        .collect()
}

fn first_sentence(description: &str) -> String {
    let line = description.lines().next().unwrap_or_default().trim();
    // End at ". " (not inside "e.g. " or "i.e. ").
    let mut end = line.len();
    let mut search = 0;
    while let Some(i) = line[search..].find(". ") {
        let at = search + i;
        let before = &line[..at];
        if before.ends_with("e.g") || before.ends_with("i.e") || before.ends_with("etc") {
            search = at + 2;
            continue;
        }
        end = at + 1;
        break;
    }
    line[..end].to_owned()
}

/// `(default 100)`, `default false`, `Default: api/all` in a description.
fn stated_default(description: &str) -> Option<String> {
    let lower = description.to_lowercase();
    let at = lower.find("default")?;
    let rest = description[at + "default".len()..].trim_start_matches([' ', ':']);
    let word: String = rest
        .chars()
        .take_while(|c| !c.is_whitespace() && !matches!(c, ')' | ',' | ';'))
        .collect();
    let word = word.trim_end_matches('.').trim_matches('`');
    (!word.is_empty() && word != "is" && word != "when" && word != "the").then(|| word.to_owned())
}

/// An example value: the schema's `examples`/`default`, an `e.g.` or
/// `Example:` in the description, the first allowed value, or one made from
/// the type and name.
fn example_of(
    name: &str,
    prop: &Value,
    kind: &str,
    allowed: &[String],
    description: &str,
) -> Value {
    if let Some(first) = prop
        .get("examples")
        .and_then(Value::as_array)
        .and_then(|e| e.first())
    {
        return first.clone();
    }
    if let Some(first) = allowed.first() {
        return Value::String(first.clone());
    }
    if let Some(stated) = stated_example(description) {
        let value = match kind {
            "integer" | "number" => stated.parse::<i64>().map(Value::from).ok(),
            "boolean" => stated.parse::<bool>().map(Value::from).ok(),
            _ => Some(Value::String(stated)),
        };
        if let Some(v) = value {
            return v;
        }
    }
    if kind.starts_with("integer") || kind.starts_with("number") {
        return prop.get("minimum").cloned().unwrap_or_else(|| json!(1));
    }
    if kind.starts_with("boolean") {
        return json!(true);
    }
    if kind.contains("JSON text") {
        return Value::String(r#"["EMP-00001"]"#.to_owned());
    }
    let lower = name.to_lowercase();
    let made = if lower == "firstname" {
        "Jane".to_owned()
    } else if lower == "lastname" {
        "Doe".to_owned()
    } else if lower.contains("email") {
        "jane.doe@example.com".to_owned()
    } else if lower.ends_with("date") || lower.ends_with("at") || lower.contains("since") {
        "2026-01-01T00:00:00Z".to_owned()
    } else if lower == "ref" || lower.contains("reference") || lower == "userref" {
        SEEDED_REF.to_owned()
    } else {
        format!("<{name}>")
    };
    Value::String(made)
}

fn stated_example(description: &str) -> Option<String> {
    for marker in ["e.g. ", "Example: ", "example: "] {
        if let Some(at) = description.find(marker) {
            let rest = description[at + marker.len()..].trim_start();
            let word: String = if let Some(quoted) = rest.strip_prefix('`') {
                quoted.chars().take_while(|c| *c != '`').collect()
            } else {
                rest.chars()
                    .take_while(|c| !c.is_whitespace() && !matches!(c, ')' | ';'))
                    .collect()
            };
            let word = word.trim_end_matches(['.', ',']).to_owned();
            if !word.is_empty() {
                return Some(word);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_defaults_and_examples_from_descriptions() {
        assert_eq!(
            first_sentence("Page number (default 1). A whole number."),
            "Page number (default 1)."
        );
        assert_eq!(
            first_sentence("Filter, e.g. active. More."),
            "Filter, e.g. active."
        );
        assert_eq!(
            stated_default("Number per page (1-1000, default 100)."),
            Some("100".into())
        );
        assert_eq!(stated_default("No such thing."), None);
        assert_eq!(
            stated_example("A date, e.g. 2024-01-01T00:00:00Z."),
            Some("2024-01-01T00:00:00Z".into())
        );
    }
}
