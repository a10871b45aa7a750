//! Creates with a natural key, read back by type.
//!
//! A create whose answer was lost (`sent_no_answer`) or that answered 409
//! may or may not have made its record. Two creates carry a key Thrive
//! refuses to repeat: a user's `ref` and an audience's `reference`. A
//! durable engine (the Restate and Temporal workers) sends such a create
//! again, and on a 409 reads the record under the key back with the
//! matching get tool, called by type, and compares it with what was sent:
//! the same record means an earlier attempt made it (the step is done, with
//! that record as its output), another record means a real conflict.
//!
//! Fields the record does not show are not compared; text is compared
//! trimmed, emails ignoring case; an audience's `parentId` (an id or a
//! reference) is compared with the record's `parent`.

use crate::Context;
use crate::block::Block;
use crate::call::call;
use crate::error::{Error, ErrorCode, Result};
use crate::params::{Connection, Required};
use crate::thrive::audiences::GetAudienceParams;
use crate::thrive::audiences::{Audience, CreateAudience, CreateAudienceParams, GetAudience};
use crate::thrive::users::GetUserByRefParams;
use crate::thrive::users::{BasicUser, CreateUser, CreateUserParams, GetUserByRef};
use serde::Serialize;
use serde_json::{Value, json};

/// What a create found under its natural key.
#[derive(Debug, Clone, PartialEq)]
pub enum Existing {
    /// The record under the key is the one the create sends: the create's
    /// output, as `{"user": ...}` or `{"audience": ...}` of the record read.
    Same(Value),
    /// No record holds the key (Thrive answered 404, or an empty body).
    Absent,
    /// Another record holds the key.
    Differs {
        /// The existing record's id (`null` when Thrive did not show one).
        id: Value,
        /// What differs, e.g. ``email (sent `a@x`, found `b@x`)``.
        mismatched: Vec<String>,
    },
}

impl Existing {
    /// The tool's `conflict` error for [`Existing::Differs`], with the
    /// existing id and the differences in its details; `None` for
    /// [`Existing::Same`] and [`Existing::Absent`].
    pub fn conflict(&self, key: &str) -> Option<Error> {
        let Self::Differs { id, mismatched } = self else {
            return None;
        };
        let shown = id.as_str().map_or_else(|| id.to_string(), str::to_owned);
        Some(
            Error::new(
                ErrorCode::Conflict,
                format!(
                    "a {key} with this natural key already exists (id {shown}) and differs from the one sent: {}",
                    mismatched.join(", ")
                ),
            )
            .with_status(409)
            .with_retry(crate::Delivery::Answered, false)
            .with_details(json!({"existingId": id, "mismatched": mismatched})),
        )
    }
}

/// The output key of a create with a natural key (`user`, `audience`), or
/// `None` for any other tool.
pub fn key_of(tool: &str) -> Option<&'static str> {
    match tool {
        CreateUser::ID => Some("user"),
        CreateAudience::ID => Some("audience"),
        _ => None,
    }
}

/// Reads back the record under the natural key of `tool`'s `input` (the
/// create's JSON input, connection inputs included or not) and compares it
/// with what the create sends. `None` when `tool` has no natural key or the
/// input holds none.
pub async fn read_back(
    ctx: &Context,
    connection: &Connection,
    tool: &str,
    input: &Value,
) -> Option<Result<Existing>> {
    match tool {
        CreateUser::ID => {
            let sent = CreateUserParams::deserialize(input).ok()?;
            let params = GetUserByRefParams {
                r#ref: sent.r#ref.clone(),
            };
            Some(absent_on_404(
                call::<GetUserByRef>(ctx, connection, &params)
                    .await
                    .map(|out| user_matches(&sent, out.user)),
            ))
        }
        CreateAudience::ID => {
            let sent = CreateAudienceParams::deserialize(input).ok()?;
            let reference = sent.reference.clone().filter(|r| !r.trim().is_empty())?;
            let params = GetAudienceParams {
                audience_id: Required::new(reference),
            };
            Some(absent_on_404(
                call::<GetAudience>(ctx, connection, &params)
                    .await
                    .map(|out| audience_matches(&sent, out.audience)),
            ))
        }
        _ => None,
    }
}

use serde::Deserialize as _;

/// A 404 from the get tool means no record holds the key.
fn absent_on_404(found: Result<Existing>) -> Result<Existing> {
    match found {
        Err(e) if e.code() == ErrorCode::NotFound => Ok(Existing::Absent),
        other => other,
    }
}

/// Compares a user create with the user found under its `ref`.
fn user_matches(sent: &CreateUserParams, found: Option<BasicUser>) -> Existing {
    let Some(found) = found else {
        return Existing::Absent;
    };
    let mut out = Vec::new();
    let role = sent.role.as_ref().and_then(text_of);
    compare(
        &mut out,
        "ref",
        Some(sent.r#ref.as_str()),
        &found.r#ref,
        false,
    );
    compare(
        &mut out,
        "firstName",
        Some(sent.first_name.as_str()),
        &found.first_name,
        false,
    );
    compare(
        &mut out,
        "lastName",
        Some(sent.last_name.as_str()),
        &found.last_name,
        false,
    );
    compare(&mut out, "email", sent.email.as_deref(), &found.email, true);
    compare(&mut out, "role", role.as_deref(), &found.role, false);
    compare(
        &mut out,
        "languageCode",
        sent.language_code.as_deref(),
        &found.language_code,
        false,
    );
    decide(out, found.id.clone(), "user", &found)
}

/// Compares an audience create with the audience found under its `reference`.
fn audience_matches(sent: &CreateAudienceParams, found: Option<Audience>) -> Existing {
    let Some(found) = found else {
        return Existing::Absent;
    };
    let mut out = Vec::new();
    let category = sent.category.as_ref().and_then(text_of);
    compare(
        &mut out,
        "reference",
        sent.reference.as_deref(),
        &found.reference,
        false,
    );
    compare(&mut out, "name", sent.name.as_deref(), &found.name, false);
    compare(
        &mut out,
        "category",
        category.as_deref(),
        &found.category,
        false,
    );
    let want = trimmed(sent.parent_id.as_deref());
    let same_parent = match (&want, &found.parent) {
        (None, None) => true,
        (Some(want), Some(p)) => [&p.id, &p.reference]
            .into_iter()
            .any(|v| trimmed(v.as_deref()).as_deref() == Some(want.as_str())),
        (None, Some(_)) | (Some(_), None) => false,
    };
    if !same_parent {
        let have = found
            .parent
            .as_ref()
            .and_then(|p| trimmed(p.id.as_deref()))
            .unwrap_or_else(|| "none".to_owned());
        let want = want.unwrap_or_else(|| "none".to_owned());
        out.push(format!("parentId (sent `{want}`, found `{have}`)"));
    }
    decide(out, found.id.clone(), "audience", &found)
}

fn decide(
    mismatched: Vec<String>,
    id: Option<String>,
    key: &str,
    found: &impl Serialize,
) -> Existing {
    if mismatched.is_empty() {
        let record = serde_json::to_value(found).unwrap_or(Value::Null);
        Existing::Same(json!({ key: record }))
    } else {
        Existing::Differs {
            id: id.map_or(Value::Null, Value::String),
            mismatched,
        }
    }
}

/// Adds ``field (sent `a`, found `b`)`` when both sides show a value and
/// they differ.
fn compare(
    out: &mut Vec<String>,
    field: &str,
    sent: Option<&str>,
    found: &Option<String>,
    ignore_case: bool,
) {
    let (Some(want), Some(have)) = (trimmed(sent), trimmed(found.as_deref())) else {
        return;
    };
    let same = if ignore_case {
        want.eq_ignore_ascii_case(&have)
    } else {
        want == have
    };
    if !same {
        out.push(format!("{field} (sent `{want}`, found `{have}`)"));
    }
}

fn trimmed(v: Option<&str>) -> Option<String> {
    v.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// The wire text of an enum input (`"learner"`, `"structure"`).
fn text_of(value: &impl Serialize) -> Option<String> {
    match serde_json::to_value(value) {
        Ok(Value::String(s)) => Some(s),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read<T: serde::de::DeserializeOwned>(v: Value) -> T {
        serde_json::from_value(v).expect("reads")
    }

    #[test]
    fn a_read_back_user_that_differs_is_a_conflict() {
        let sent: CreateUserParams = read(json!({"ref": "EMP-00001", "firstName": "Ada",
            "lastName": "Impostor", "email": "ADA@example.com"}));
        let found: BasicUser = read(json!({"id": "u1", "ref": "EMP-00001", "firstName": "Maya",
            "lastName": "Wood", "email": "maya.wood@example.com"}));
        let differs = user_matches(&sent, Some(found));
        assert_eq!(
            differs,
            Existing::Differs {
                id: json!("u1"),
                mismatched: vec![
                    "firstName (sent `Ada`, found `Maya`)".into(),
                    "lastName (sent `Impostor`, found `Wood`)".into(),
                    "email (sent `ADA@example.com`, found `maya.wood@example.com`)".into(),
                ],
            }
        );
        let error = differs.conflict("user").expect("a conflict");
        assert_eq!(error.code(), ErrorCode::Conflict);
        assert_eq!(error.status(), Some(409));

        let same: BasicUser = read(json!({"id": "u1", "ref": "EMP-00001", "firstName": "Ada",
            "lastName": "Impostor", "email": "ada@example.com", "status": "active"}));
        let Existing::Same(out) = user_matches(&sent, Some(same)) else {
            panic!("the record sent");
        };
        assert_eq!(out["user"]["id"], "u1");
        assert_eq!(out["user"]["status"], "active");
    }

    #[test]
    fn an_audience_parent_matches_by_id_or_reference() {
        let sent: CreateAudienceParams = read(json!({"name": "Sales", "reference": "sales",
            "category": "audience", "parentId": "org"}));
        let under = |parent: Value| -> Audience {
            read(json!({"id": "a9", "name": "Sales", "reference": "sales",
                "category": "audience", "parent": parent}))
        };
        let by_reference =
            audience_matches(&sent, Some(under(json!({"id": "a1", "reference": "org"}))));
        assert!(
            matches!(by_reference, Existing::Same(_)),
            "{by_reference:?}"
        );
        assert_eq!(
            audience_matches(
                &sent,
                Some(under(json!({"id": "a2", "reference": "other"})))
            ),
            Existing::Differs {
                id: json!("a9"),
                mismatched: vec!["parentId (sent `org`, found `a2`)".into()],
            }
        );
    }

    #[test]
    fn only_the_two_creates_have_a_natural_key() {
        assert_eq!(key_of("thrive_create_user"), Some("user"));
        assert_eq!(key_of("thrive_create_audience"), Some("audience"));
        assert_eq!(key_of("thrive_create_assignment"), None);
    }
}
