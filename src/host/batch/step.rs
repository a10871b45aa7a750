//! One step line as a tool id and its parameters.

use crate::error::Error;
use serde_json::{Map, Value};

/// Reads one step line: its id (echoed back, the line number when absent)
/// and either the tool id and parameters with the defaults filled in, or an
/// `invalid_input` error naming the field.
pub(super) fn parse_step(
    line: &str,
    line_no: u64,
    defaults: &Map<String, Value>,
) -> (Value, Result<(String, Value), Error>) {
    let fallback_id = Value::from(line_no);
    let step: Value = match serde_json::from_str(line) {
        Ok(step) => step,
        Err(e) => {
            let e = Error::field("", format!("line {line_no} is not valid JSON: {e}"));
            return (fallback_id, Err(e));
        }
    };
    let Value::Object(mut step) = step else {
        let e = Error::field(
            "",
            format!(
                "line {line_no} must be a JSON object {{\"tool\", \"params\", \"id\"}}, got {}",
                crate::params::json_kind(&step)
            ),
        );
        return (fallback_id, Err(e));
    };
    let id = step.remove("id").unwrap_or(fallback_id);
    let parsed = step_fields(step, defaults);
    (id, parsed)
}

/// The tool id and parameters of a step object (its id removed).
fn step_fields(
    mut step: Map<String, Value>,
    defaults: &Map<String, Value>,
) -> Result<(String, Value), Error> {
    let tool = match step.remove("tool") {
        Some(Value::String(tool)) => tool,
        Some(other) => {
            let kind = crate::params::json_kind(&other);
            return Err(Error::field(
                "/tool",
                format!("tool must be a tool id string, got {kind}"),
            ));
        }
        None => return Err(Error::field("/tool", "tool is required")),
    };
    let mut params = match step.remove("params") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(params)) => params,
        Some(other) => {
            let kind = crate::params::json_kind(&other);
            return Err(Error::field(
                "/params",
                format!("params must be an object, got {kind}"),
            ));
        }
    };
    if let Some(unknown) = step.keys().next() {
        return Err(Error::field(
            format!("/{unknown}"),
            format!("{unknown} is not a step field (expected tool, params, id)"),
        ));
    }
    for (k, v) in defaults {
        if !params.contains_key(k) {
            params.insert(k.clone(), v.clone());
        }
    }
    Ok((tool, Value::Object(params)))
}
