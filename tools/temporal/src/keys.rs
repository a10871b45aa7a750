//! Natural keys of creates: how a retried create finds the record an
//! earlier attempt may have made, and whether that record is the one sent.
//!
//! The same rule as the Restate companion's (a user's `ref`, an audience's
//! `reference`; Thrive refuses a second record with the same key with 409).

use serde_json::{Value, json};

/// Where to look for the record a create makes.
#[derive(Debug, Clone, PartialEq)]
pub struct NaturalKey {
    /// The read tool that finds it.
    pub read_tool: &'static str,
    /// Its input (besides the connection).
    pub params: Value,
    /// The record's field in both outputs (`{"user": {...}}`).
    pub field: &'static str,
}

/// The natural key of a create, when the tool has one and the input
/// gives it.
pub fn natural_key(tool: &str, input: &Value) -> Option<NaturalKey> {
    let text = |name: &str| {
        input
            .get(name)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    match tool {
        "thrive_create_user" => Some(NaturalKey {
            read_tool: "thrive_get_user_by_ref",
            params: json!({ "ref": text("ref")? }),
            field: "user",
        }),
        "thrive_create_audience" => Some(NaturalKey {
            read_tool: "thrive_get_audience",
            params: json!({ "audienceId": text("reference")? }),
            field: "audience",
        }),
        _ => None,
    }
}

/// The fields the create sent that the found record holds with another
/// value (emails ignoring case; fields the record does not show are not
/// compared; an audience's `parentId` against the record's `parent` id or
/// reference). Empty: it is the record this create makes.
pub fn mismatches(tool: &str, sent: &Value, found: &Value) -> Vec<String> {
    let compared: &[&str] = match tool {
        "thrive_create_user" => &[
            "ref",
            "firstName",
            "lastName",
            "email",
            "role",
            "languageCode",
        ],
        "thrive_create_audience" => &["reference", "name", "category"],
        _ => &[],
    };
    let text = |v: Option<&Value>| -> Option<String> {
        let s = v?.as_str()?.trim();
        (!s.is_empty()).then(|| s.to_owned())
    };
    let mut out: Vec<String> = compared
        .iter()
        .filter_map(|field| {
            let want = text(sent.get(*field))?;
            let have = text(found.get(*field))?;
            let same = if *field == "email" {
                want.eq_ignore_ascii_case(&have)
            } else {
                want == have
            };
            (!same).then(|| format!("{field} (sent `{want}`, found `{have}`)"))
        })
        .collect();
    if tool == "thrive_create_audience"
        && let Some(parent) = found.get("parent")
    {
        let want = text(sent.get("parentId"));
        let names = [parent.get("id"), parent.get("reference")].map(text);
        let same = match &want {
            None => parent.is_null(),
            Some(w) => names.iter().flatten().any(|n| n == w),
        };
        if !same {
            let have = names[0].clone().unwrap_or_else(|| "none".into());
            let want = want.unwrap_or_else(|| "none".into());
            out.push(format!("parentId (sent `{want}`, found `{have}`)"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_of_creates() {
        let k = natural_key(
            "thrive_create_user",
            &json!({"ref": " EMP-7 ", "firstName": "A"}),
        )
        .expect("a user's key");
        assert_eq!(k.read_tool, "thrive_get_user_by_ref");
        assert_eq!(k.params, json!({"ref": "EMP-7"}));
        assert_eq!(k.field, "user");
        assert!(natural_key("thrive_create_user", &json!({"firstName": "A"})).is_none());
        assert!(natural_key("thrive_update_user", &json!({"ref": "x"})).is_none());
        let a = natural_key("thrive_create_audience", &json!({"reference": "sales"}))
            .expect("an audience's key");
        assert_eq!(a.params, json!({"audienceId": "sales"}));
    }

    #[test]
    fn a_found_record_that_differs_is_named_field_by_field() {
        let sent = json!({"ref": "EMP-1", "firstName": "Ada", "email": "ADA@example.com"});
        let same = json!({"id": "u1", "ref": "EMP-1", "firstName": "Ada", "email": "ada@example.com", "lastName": "X"});
        assert!(mismatches("thrive_create_user", &sent, &same).is_empty());
        let other =
            json!({"id": "u2", "ref": "EMP-1", "firstName": "Maya", "email": "maya@example.com"});
        assert_eq!(
            mismatches("thrive_create_user", &sent, &other),
            vec![
                "firstName (sent `Ada`, found `Maya`)",
                "email (sent `ADA@example.com`, found `maya@example.com`)"
            ]
        );
        let aud = json!({"reference": "s", "name": "S", "parentId": "org"});
        let found =
            json!({"reference": "s", "name": "S", "parent": {"id": "a1", "reference": "org"}});
        assert!(mismatches("thrive_create_audience", &aud, &found).is_empty());
        let moved =
            json!({"reference": "s", "name": "S", "parent": {"id": "a2", "reference": "x"}});
        assert_eq!(
            mismatches("thrive_create_audience", &aud, &moved),
            vec!["parentId (sent `org`, found `a2`)"]
        );
    }
}
