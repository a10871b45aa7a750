//! Plain-text tables and wrapping for `describe`.

use super::*;

pub(super) fn write_table<const N: usize>(
    out: &mut String,
    header: &[String; N],
    rows: &[[String; N]],
) {
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
pub(super) fn kind_of(prop: &Value) -> String {
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

pub(super) fn enum_values(prop: &Value) -> Vec<String> {
    let show = |v: &Value| v.as_str().map_or_else(|| v.to_string(), str::to_owned);
    if let Some(values) = prop.get("enum").and_then(Value::as_array) {
        return values.iter().filter(|v| !v.is_null()).map(show).collect();
    }
    // A list of documented values (a trigger's event types).
    if let Some(values) = prop.pointer("/items/enum").and_then(Value::as_array) {
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

pub(super) fn first_sentence(description: &str) -> String {
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
/// Only the word itself counts: "Thrive defaults them to false" states no
/// default of the input.
pub(super) fn stated_default(description: &str) -> Option<String> {
    let lower = description.to_lowercase();
    let at = lower
        .match_indices("default")
        .map(|(at, _)| at)
        .find(|at| {
            let before = lower[..*at].chars().next_back();
            let after = lower[at + "default".len()..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        })?;
    let rest = description[at + "default".len()..].trim_start_matches([' ', ':']);
    let word: String = rest
        .chars()
        .take_while(|c| !c.is_whitespace() && !matches!(c, ')' | ',' | ';'))
        .collect();
    let word = word.trim_end_matches('.').trim_matches('`');
    (!word.is_empty() && word != "is" && word != "when" && word != "the").then(|| word.to_owned())
}

/// [`example_of`] for property `name`, reading its kind, allowed values
/// and description from `prop`.
pub(super) fn example_for(name: &str, prop: &Value) -> Value {
    example_of(
        name,
        prop,
        &kind_of(prop),
        &enum_values(prop),
        description_of(prop),
    )
}

/// A property's description (`""` when it has none).
pub(super) fn description_of(prop: &Value) -> &str {
    prop.get("description")
        .and_then(Value::as_str)
        .unwrap_or_default()
}

/// An example value: the schema's `examples`/`default`, an `e.g.` or
/// `Example:` in the description, the first allowed value, or one made from
/// the type and name.
pub(super) fn example_of(
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
        return if kind == "array" {
            json!([first])
        } else {
            Value::String(first.clone())
        };
    }
    // A list given as JSON text: its help states one item in words.
    if kind.contains("JSON text") {
        // A list of objects gets one object holding its required fields
        // (a list of managers: `[{"reference":"EMP-00001"}]`), so the
        // example passes validation as printed; a list of plain values
        // gets one reference.
        let item = prop.pointer("/contentSchema/items");
        let example = match item
            .and_then(|i| i.get("properties"))
            .and_then(Value::as_object)
        {
            Some(props) => {
                let required: Vec<&str> = item
                    .and_then(|i| i.get("required"))
                    .and_then(Value::as_array)
                    .map(|r| r.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                let object: serde_json::Map<String, Value> = props
                    .iter()
                    .filter(|(field, _)| required.contains(&field.as_str()))
                    .map(|(field, p)| (field.clone(), example_for(field, p)))
                    .collect();
                json!([object])
            }
            None => json!([stated_example(description).unwrap_or_else(|| SEEDED_REF.to_owned())]),
        };
        return Value::String(example.to_string());
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
    if prop
        .get(crate::params::TEXT_KEYWORD)
        .and_then(Value::as_str)
        == Some(<crate::params::HexId as crate::params::TextKind>::NAME)
    {
        return Value::String(HEX_EXAMPLE.to_owned());
    }
    if kind.starts_with("integer") || kind.starts_with("number") {
        return prop.get("minimum").cloned().unwrap_or_else(|| json!(1));
    }
    if kind.starts_with("boolean") {
        return json!(true);
    }
    let lower = name.to_lowercase();
    let made = if lower == "firstname" {
        "Jane".to_owned()
    } else if lower == "lastname" {
        "Doe".to_owned()
    } else if lower.contains("email") {
        "jane.doe@example.com".to_owned()
    } else if lower.ends_with("date")
        || lower.ends_with("at")
        || lower.contains("since")
        || lower == "timestamp"
    {
        "2026-01-01T00:00:00Z".to_owned()
    } else if lower == "ref" || lower.contains("reference") || lower == "userref" {
        SEEDED_REF.to_owned()
    } else {
        format!("<{name}>")
    };
    Value::String(made)
}

/// An id in Thrive's 24-hex form, for examples of id inputs that state no
/// example of their own.
const HEX_EXAMPLE: &str = "507f1f77bcf86cd799439011";

pub(super) fn stated_example(description: &str) -> Option<String> {
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
