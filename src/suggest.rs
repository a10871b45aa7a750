//! "Did you mean …?" for tool ids and input names.
//!
//! A mistyped tool id or field name is the most common first mistake; the
//! error then names the closest known name (by Jaro-Winkler similarity,
//! ignoring case and `_`/`-`) and, for an unknown field, lists the tool's
//! inputs so the fix can be read off the message.

use crate::error::Violation;
use serde_json::Value;

/// How similar (0 to 1) a name must be to be suggested.
const THRESHOLD: f64 = 0.8;

/// The known name closest to `given`, if one is close enough.
pub fn closest<'a>(given: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let norm = |s: &str| s.to_lowercase().replace(['_', '-'], "");
    let wanted = norm(given);
    known
        .into_iter()
        .map(|k| {
            let candidate = norm(k);
            let mut score = strsim::jaro_winkler(&wanted, &candidate);
            // `create_usr` is close to `thrive_create_user` though the prefix
            // differs: also compare with the common `thrive_` prefix added.
            if let Some(stripped) = candidate.strip_prefix("thrive") {
                score = score.max(strsim::jaro_winkler(&wanted, stripped));
            }
            (k, score)
        })
        .filter(|(_, score)| *score >= THRESHOLD)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(k, _)| k)
}

/// `" (did you mean `x`?)"`, or nothing when no known name is close.
pub fn did_you_mean<'a>(given: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    closest(given, known)
        .map(|k| format!(" (did you mean `{k}`?)"))
        .unwrap_or_default()
}

/// The input a common alias stands for, when spelling alone does not tell:
/// an id named after its resource (`userId`, `user_id` or `contentID` where
/// the tool's input is `id`), or a bare `id` where the tool has exactly one
/// `…Id` input.
fn alias<'a>(given: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wanted = given.to_lowercase().replace(['_', '-'], "");
    let known: Vec<&str> = known.into_iter().collect();
    if wanted.len() > 2 && wanted.ends_with("id") {
        return known.into_iter().find(|k| *k == "id");
    }
    if wanted == "id" {
        let mut ids = known
            .into_iter()
            .filter(|k| k.ends_with("Id") && !matches!(*k, "tenantId" | "clientId"));
        if let (Some(one), None) = (ids.next(), ids.next()) {
            return Some(one);
        }
    }
    None
}

/// Adds a suggestion and the list of the tool's inputs to every violation
/// about a top-level field that `input_schema` does not have (the
/// "is not an input of this tool" kind). Connection inputs are listed last.
pub fn unknown_fields(input_schema: &Value, problems: &mut [Violation]) {
    let Some(props) = input_schema.get("properties").and_then(Value::as_object) else {
        return;
    };
    let is_credential = |p: &Value| p.get("x-thrive-credential") == Some(&Value::Bool(true));
    let own: Vec<&str> = props
        .iter()
        .filter(|(_, p)| !is_credential(p))
        .map(|(k, _)| k.as_str())
        .collect();
    for v in problems.iter_mut() {
        let Some(name) = v.pointer.strip_prefix('/') else {
            continue;
        };
        if name.is_empty() || name.contains('/') || props.contains_key(name) {
            continue;
        }
        let name = name.replace("~1", "/").replace("~0", "~");
        let mut hint = did_you_mean(&name, props.keys().map(String::as_str));
        if hint.is_empty()
            && let Some(alias) = alias(&name, props.keys().map(String::as_str))
        {
            hint = format!(" (did you mean `{alias}`?)");
        }
        v.message = if own.is_empty() {
            format!(
                "{name} is not an input of this tool{hint}; it takes only the connection \
                 inputs (tenantId, apiKey, host, clientId, scope)"
            )
        } else {
            format!(
                "{name} is not an input of this tool{hint}; its inputs: {} \
                 (connection: tenantId, apiKey, host, clientId, scope)",
                own.join(", ")
            )
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn closest_tool_id_and_field() {
        let ids = [
            "thrive_create_user",
            "thrive_create_audience",
            "thrive_delete_user",
        ];
        assert_eq!(
            closest("thrive_create_usr", ids),
            Some("thrive_create_user")
        );
        assert_eq!(closest("create_user", ids), Some("thrive_create_user"));
        assert_eq!(
            closest("audienceID", ["audienceId", "users"]),
            Some("audienceId")
        );
        assert_eq!(closest("zzz", ids), None);
        assert_eq!(
            closest("audience_id", ["audienceId", "users"]),
            Some("audienceId")
        );
    }

    #[test]
    fn aliases_of_an_id() {
        let get_user = ["id", "tenantId", "apiKey"];
        assert_eq!(alias("userId", get_user), Some("id"));
        assert_eq!(alias("user_id", get_user), Some("id"));
        assert_eq!(alias("userId", ["audienceId", "users"]), None);
        assert_eq!(
            alias("id", ["audienceId", "users", "tenantId", "clientId"]),
            Some("audienceId")
        );
        assert_eq!(alias("id", ["audienceId", "userId"]), None);
        assert_eq!(alias("name", get_user), None);
    }

    #[test]
    fn unknown_field_gets_a_suggestion_and_the_inputs() {
        let schema = json!({"properties": {
            "tenantId": {"x-thrive-credential": true},
            "audienceId": {}, "users": {}}});
        let mut problems = vec![
            Violation::new("/audienceID", "audienceID is not an input of this tool"),
            Violation::new("/users", "users is required"),
        ];
        unknown_fields(&schema, &mut problems);
        assert_eq!(
            problems[0].message,
            "audienceID is not an input of this tool (did you mean `audienceId`?); \
             its inputs: audienceId, users (connection: tenantId, apiKey, host, clientId, scope)"
        );
        assert_eq!(problems[1].message, "users is required");
    }
}
