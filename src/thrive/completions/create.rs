//! `thrive_create_completion`: `POST /rest/v1/learning/completions`.

use super::StatementOutput;
use crate::api::{ApiRequest, ApiResponse};
use crate::block::Block;
use crate::error::{Result, Violation};
use crate::params::Required;
use crate::params::{DateFormat, check_date};
use crate::params::{DateText, Timestamp};
use crate::tool::{Hints, Tool};
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{Value, json};

/// Record a learning completion in Thrive for a user and content item.
pub struct CreateCompletion;

/// Inputs of [`CreateCompletion`].
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateCompletionParams {
    /// The user ID.
    #[schemars(extend("x-options" = crate::options::USER_ID))]
    pub user_id: Required,
    /// The content ID for the content completed.
    #[schemars(extend("x-options" = crate::options::CONTENT))]
    pub content_id: Required,
    /// ISO8601 timestamp when the completion occurred, with a time, e.g.
    /// 2024-04-02T13:45:00.000Z.
    pub completed_at: DateText<Timestamp>,
}

/// `body.statementId`, or `null`. A non-string id (not documented) is
/// kept as its JSON text rather than dropped.
impl crate::wire::FromResponse for StatementOutput {
    fn from_response(response: ApiResponse) -> Result<Self> {
        let statement_id = match response.body.get("statementId") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(other) => Some(other.to_string()),
        };
        Ok(StatementOutput { statement_id })
    }
}

impl Block for CreateCompletion {
    type Params = CreateCompletionParams;
    type Output = StatementOutput;

    const ID: &'static str = "thrive_create_completion";
    const TITLE: &'static str = "Create completion";
    const DESCRIPTION: &'static str =
        "Record a learning completion in Thrive for a user and content item.";
    const ENDPOINT: &'static str = "POST /rest/v1/learning/completions";
    // Not `Hints::CREATE`: the docs show that sending a completion that
    // already exists succeeds with the existing record's `{statementId}`
    // stub instead of failing or duplicating it, so sending the same input
    // twice has the same effect as once, and a retry is safe.
    const HINTS: Hints = Hints {
        read_only: false,
        destructive: false,
        idempotent: true,
    };

    fn validate(p: &Self::Params, out: &mut Vec<Violation>) {
        // A timestamp is documented, so a bare date is refused too.
        if p.completed_at.contains(['T', 't']) {
            check_date(
                "completedAt",
                Some(&p.completed_at),
                DateFormat::Iso8601,
                out,
            );
        } else {
            out.push(Violation::new(
                "/completedAt",
                format!(
                    "completedAt must be an ISO 8601 date-time such as 2024-04-02T13:45:00Z, got {:?}",
                    p.completed_at
                ),
            ));
        }
    }
}

impl Tool for CreateCompletion {
    fn request(p: &Self::Params) -> Result<ApiRequest> {
        Ok(ApiRequest::endpoint(Self::ENDPOINT, &[])?.body(json!({
            "userId": p.user_id,
            "contentId": p.content_id,
            "completedAt": p.completed_at,
        })))
    }
}

crate::register_tool!(CreateCompletion);
