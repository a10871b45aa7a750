//! Plain-text tables and wrapping for `describe`.

use serde_json::{Value, json};
use std::fmt::Write as _;

/// A reference the sandbox's demo tenant has (used in examples).
pub(super) const SEEDED_REF: &str = "EMP-00001";

/// The widest line a table is drawn to (a terminal of 100 columns).
pub(super) const TABLE_WIDTH: usize = 100;

/// The columns a table may wrap to fit [`TABLE_WIDTH`]: running text and
/// lists of values, never names, types or examples.
const WRAPPED: [&str; 3] = ["description", "allowed values", "example"];

/// `text` broken into lines of at most `width` characters, at spaces or
/// after a `|`, a word longer than the width cut.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    let pieces = text.split_inclusive([' ', '|']);
    for piece in pieces {
        if current.chars().count() + piece.trim_end().chars().count() > width && !current.is_empty()
        {
            lines.push(current.trim_end().to_owned());
            current.clear();
        }
        let mut piece = piece.to_owned();
        while piece.chars().count() > width {
            let head: String = piece.chars().take(width).collect();
            lines.push(head);
            piece = piece.chars().skip(width).collect();
        }
        current.push_str(&piece);
    }
    if !current.trim().is_empty() || lines.is_empty() {
        lines.push(current.trim_end().to_owned());
    }
    lines
}

pub(super) fn write_table<const N: usize>(
    out: &mut String,
    header: &[String; N],
    rows: &[[String; N]],
) {
    // A column no row fills (no allowed values, no defaults) is left out.
    let shown: [bool; N] = std::array::from_fn(|i| i == 0 || rows.iter().any(|r| !r[i].is_empty()));
    let mut widths = header.each_ref().map(|h| h.chars().count());
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    for (w, shown) in widths.iter_mut().zip(shown) {
        if !shown {
            *w = 0;
        }
    }
    // Narrow the wrapped columns until the table fits, each to no less
    // than its header or 16 characters.
    let columns = shown.iter().filter(|s| **s).count();
    let total = |widths: &[usize; N]| 2 + widths.iter().sum::<usize>() + 2 * (columns - 1);
    let wrapped: Vec<usize> = (0..N)
        .filter(|i| shown[*i] && WRAPPED.contains(&header[*i].as_str()))
        .collect();
    while total(&widths) > TABLE_WIDTH {
        let Some(widest) = wrapped
            .iter()
            .copied()
            .filter(|i| widths[*i] > header[*i].chars().count().max(12))
            .max_by_key(|i| widths[*i])
        else {
            break;
        };
        widths[widest] -= 1;
    }
    let rows: Vec<[String; N]> = rows
        .iter()
        .flat_map(|row| {
            let cells: Vec<Vec<String>> = row
                .iter()
                .enumerate()
                .map(|(i, cell)| {
                    if wrapped.contains(&i) {
                        wrap(cell, widths[i])
                    } else {
                        vec![cell.clone()]
                    }
                })
                .collect();
            let height = cells.iter().map(Vec::len).max().unwrap_or(1);
            (0..height)
                .map(|l| std::array::from_fn(|i| cells[i].get(l).cloned().unwrap_or_default()))
                .collect::<Vec<_>>()
        })
        .collect();
    let rows = rows.as_slice();
    let last = (0..N).rev().find(|i| shown[*i]).unwrap_or(0);
    let mut line = |cells: &[String; N]| {
        let mut text = String::from("  ");
        for (i, cell) in cells.iter().enumerate() {
            if !shown[i] {
                continue;
            }
            text.push_str(cell);
            if i != last {
                let pad = widths[i].saturating_sub(cell.chars().count());
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
    // "tenant default if omitted" states no value.
    (!word.is_empty() && !matches!(word, "is" | "when" | "the" | "if" | "of" | "for"))
        .then(|| word.to_owned())
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
            None => match stated_example(description) {
                Some(stated) if stated.starts_with('[') => {
                    serde_json::from_str(&stated).unwrap_or_else(|_| json!([stated]))
                }
                Some(stated) => json!([stated]),
                None => json!([SEEDED_REF]),
            },
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
            // `(e.g. 'en-gb')`: the quotes are not part of the value.
            let word = word
                .trim_end_matches(['.', ','])
                .trim_matches(['\'', '"'])
                .to_owned();
            if !word.is_empty() {
                return Some(word);
            }
        }
    }
    None
}
