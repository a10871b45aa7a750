//! Schema violations in words: what the validator found, named by field.

use super::*;

/// Validates `input` against a compiled schema; every problem is returned,
/// each with its JSON pointer. Messages never quote the value (it may be a
/// secret).
///
/// Inputs whose schema carries a documented layout (a date or a comma list)
/// are checked by [`crate::params::check_by_schema`] instead of by their
/// pattern, so the message says which layout or values are expected.
pub fn schema_violations(
    validator: &jsonschema::Validator,
    schema: &Value,
    input: &Value,
) -> Vec<Violation> {
    use jsonschema::error::ValidationErrorKind as K;
    let mut out = Vec::new();
    // The common case, a valid input, takes the validator's fast path that
    // builds no error values at all.
    if validator.is_valid(input) {
        return out;
    }
    let props = schema.get("properties").and_then(Value::as_object);
    for error in validator.iter_errors(input) {
        let at = error.instance_path().as_str().to_owned();
        let field = at.rsplit('/').next().unwrap_or_default().to_owned();
        if matches!(
            error.kind(),
            K::Pattern { .. } | K::MinLength { .. } | K::MaxLength { .. }
        ) && let Some(prop) = props.and_then(|p| p.get(at.trim_start_matches('/')))
            && crate::params::has_layout(prop)
        {
            continue;
        }
        let label = if field.is_empty() {
            "input".to_owned()
        } else {
            pointer_words(&at)
        };
        let v = match error.kind() {
            K::Required { property } => {
                let name = property
                    .as_str()
                    .map(str::to_owned)
                    .unwrap_or_else(|| property.to_string());
                Violation::new(format!("{at}/{name}"), format!("{name} is required"))
            }
            K::AdditionalProperties { unexpected } => {
                for name in unexpected {
                    out.push(Violation::new(
                        format!("{at}/{name}"),
                        format!("{name} is not an input of this tool"),
                    ));
                }
                continue;
            }
            K::Type {
                kind: jsonschema::error::TypeKind::Single(jsonschema::JsonType::Integer),
            } => Violation::new(at, format!("{label} must be a whole number")),
            K::Type { kind } => {
                Violation::new(at, format!("{label} must be of type {}", type_words(kind)))
            }
            // `multipleOf: 1` is how whole numbers are written in the schema.
            K::MultipleOf { multiple_of } if *multiple_of == 1.0 => {
                Violation::new(at, format!("{label} must be a whole number"))
            }
            K::Enum { options } => Violation::new(
                at,
                format!("{label} must be one of {}", options_words(options)),
            ),
            // A pattern says nothing to a person; what it stands for is
            // worded by the check of the input's kind where there is one.
            K::Pattern { pattern }
                if pattern == <crate::params::NonBlank as crate::params::TextKind>::PATTERN =>
            {
                Violation::new(at, format!("{label} must not be blank"))
            }
            K::Pattern { .. } => {
                Violation::new(at, format!("{label} is not in the form this input takes"))
            }
            K::MinLength { limit: 1 } => Violation::new(at, format!("{label} must not be empty")),
            _ => Violation::new(at, format!("{label}: {}", error.masked())),
        };
        out.push(v);
    }
    out
}

pub(super) fn type_words(kind: &jsonschema::error::TypeKind) -> String {
    use jsonschema::error::TypeKind;
    let name = |t: &jsonschema::JsonType| t.to_string();
    match kind {
        TypeKind::Single(t) => name(t),
        TypeKind::Multiple(ts) => ts.iter().map(|t| name(&t)).collect::<Vec<_>>().join(" or "),
    }
}

pub(super) fn options_words(options: &Value) -> String {
    match options {
        Value::Array(items) => items
            .iter()
            .map(|v| {
                v.as_str()
                    .map(|s| format!("'{s}'"))
                    .unwrap_or_else(|| v.to_string())
            })
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    }
}

/// A pointer in words for messages: `/eventTypes/0` is `eventTypes[0]`,
/// `/users/2/reference` is `users[2].reference`.
pub(super) fn pointer_words(pointer: &str) -> String {
    let mut out = String::new();
    for part in pointer.split('/').filter(|p| !p.is_empty()) {
        if part.bytes().all(|b| b.is_ascii_digit()) {
            out.push_str(&format!("[{part}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(part);
        }
    }
    out
}
