//! Merging the answers of chunked calls into the one answer a single call
//! would have given: bulk envelopes are concatenated, counted messages
//! summed.

use crate::api::ApiResponse;
use serde_json::{Value, json};

/// Merges the answers of several chunked calls into one.
#[derive(Default)]
pub(super) struct BulkMerge {
    partial: bool,
    success: Vec<Value>,
    failure: Vec<Value>,
    saw_envelope: bool,
    message_count: u64,
    last_message: Option<(Value, String)>,
}

impl BulkMerge {
    /// Adds one chunk's answer.
    pub(super) fn add(&mut self, response: ApiResponse) {
        self.partial |= response.is_partial();
        let body = response.body;
        if body.get("success").is_some() || body.get("failure").is_some() {
            self.saw_envelope = true;
            for (key, out) in [
                ("success", &mut self.success),
                ("failure", &mut self.failure),
            ] {
                if let Some(entities) = body
                    .pointer(&format!("/{key}/entities"))
                    .and_then(Value::as_array)
                {
                    out.extend(entities.iter().cloned());
                }
            }
        } else if let Some(message) = body.get("message").and_then(Value::as_str) {
            // `{status, message}` where the message starts with a count:
            // "2 tag(s) added successfully to the learner."
            let (count, rest) = split_count(message);
            self.message_count += count;
            self.last_message = Some((
                body.get("status").cloned().unwrap_or(Value::Null),
                rest.to_owned(),
            ));
        }
    }

    /// The merged answer: one bulk envelope, or one summed message.
    pub(super) fn finish(self) -> ApiResponse {
        if self.saw_envelope {
            let mut body = json!({
                "success": { "count": self.success.len(), "entities": self.success },
            });
            if !self.failure.is_empty() {
                body["failure"] = json!({ "count": self.failure.len(), "entities": self.failure });
            }
            let status = if self.partial || body.get("failure").is_some() {
                207
            } else {
                200
            };
            return ApiResponse::new(status, body);
        }
        match self.last_message {
            Some((status, rest)) => ApiResponse::new(
                200,
                json!({ "status": status, "message": format!("{}{rest}", self.message_count) }),
            ),
            None => ApiResponse::new(200, Value::Null),
        }
    }
}

/// The leading count of a message and the rest (`"2 tag(s)…"` -> `(2, " tag(s)…")`).
fn split_count(message: &str) -> (u64, &str) {
    let digits = message.len()
        - message
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .len();
    match message[..digits].parse::<u64>() {
        Ok(n) => (n, &message[digits..]),
        Err(_) => (0, message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bulk_merge_of_envelopes_and_messages() {
        let mut m = BulkMerge::default();
        m.add(ApiResponse::new(
            200,
            json!({"success": {"count": 2, "entities": [{"reference": "a"}, {"reference": "b"}]}}),
        ));
        m.add(ApiResponse::new(207, json!({"success": {"count": 0, "entities": []},
            "failure": {"count": 1, "entities": [{"reason": "User does not exist.", "reference": "c"}]}})));
        let r = m.finish();
        assert_eq!(r.status, 207);
        assert_eq!(r.body["success"]["count"], 2);
        assert_eq!(r.body["failure"]["entities"][0]["reference"], "c");

        let mut m = BulkMerge::default();
        m.add(ApiResponse::new(
            200,
            json!({"status": 200, "message": "100 tag(s) added successfully to the learner."}),
        ));
        m.add(ApiResponse::new(
            200,
            json!({"status": 200, "message": "5 tag(s) added successfully to the learner."}),
        ));
        assert_eq!(
            m.finish().body,
            json!({"status": 200, "message": "105 tag(s) added successfully to the learner."})
        );
    }
}
