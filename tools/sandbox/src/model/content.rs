//! Content records and activity records (behaviour.md §15–16). Both are
//! read-only through the API; activities are also appended when a completion
//! is recorded.
//!
//! Choices: content and activity ids must match the documented 24-hex
//! pattern (400 otherwise, checked in `routes`); activities carry an extra
//! `contentType` field (seen in third-party live data) when they relate to
//! content, and that is what the `contentType` filter matches. `timestampFrom`/`timestampTo` are
//! inclusive, and a bare date as `timestampTo` covers the whole day.

use serde_json::{Value, json};

use crate::time::{Millis, format_millis};

/// The content types accepted by `types`/`omitTypes` (from the seed document).
pub(crate) const CONTENT_TYPES: [&str; 14] = [
    "article",
    "assessment",
    "broadcast",
    "cmi5",
    "elearning",
    "event",
    "file",
    "pathway",
    "question",
    "quiz",
    "scorm",
    "url",
    "video",
    "mixed",
];

/// The documented activity actions.
pub(crate) const ACTIONS: [&str; 20] = [
    "viewed",
    "completed",
    "passed",
    "pinned",
    "unpinned",
    "liked",
    "unliked",
    "commented",
    "commentdeleted",
    "shared",
    "progressed",
    "registered",
    "followed",
    "unfollowed",
    "started",
    "resumed",
    "searched",
    "found",
    "loggedin",
    "loggedout",
];

/// One `contentHistory` item.
#[derive(Clone, Debug)]
pub(crate) struct ContentHistory {
    pub action: &'static str,
    pub at: Millis,
    pub by_type: &'static str,
    pub by_value: Option<String>,
}

/// A content record.
#[derive(Clone, Debug)]
pub(crate) struct Content {
    pub id: String,
    pub title: String,
    pub description: String,
    pub tags: Vec<String>,
    pub kind: String,
    pub created_at: Millis,
    pub updated_at: Millis,
    pub author: Option<String>,
    pub is_official: bool,
    pub duration_minutes: Option<i64>,
    pub history: Vec<ContentHistory>,
}

impl Content {
    /// The content object.
    pub(crate) fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "title": self.title,
            "description": self.description,
            "tags": self.tags,
            "type": self.kind,
            "createdAt": format_millis(self.created_at),
            "updatedAt": format_millis(self.updated_at),
            "author": self.author,
            "isOfficial": self.is_official,
            "duration": self.duration_minutes.map(|m| json!({ "value": m, "unit": "minutes" })),
            "contentHistory": self.history.iter().map(|h| json!({
                "action": h.action,
                "timestamp": format_millis(h.at),
                "performedBy": { "type": h.by_type, "value": h.by_value },
            })).collect::<Vec<_>>(),
        })
    }
}

/// An activity record.
#[derive(Clone, Debug)]
pub(crate) struct Activity {
    pub id: String,
    pub user: String,
    pub kind: &'static str,
    pub name: Option<String>,
    pub date: Millis,
    pub context_id: String,
    pub context_type: &'static str,
    pub content_type: Option<String>,
    pub data: Value,
}

impl Activity {
    /// The activity object.
    pub(crate) fn to_json(&self) -> Value {
        let mut v = json!({
            "id": self.id,
            "user": self.user,
            "type": self.kind,
            "name": self.name,
            "date": format_millis(self.date),
            "contextId": self.context_id,
            "contextType": self.context_type,
            "data": self.data,
            "with": null,
        });
        if let (Some(ct), Value::Object(map)) = (&self.content_type, &mut v) {
            map.insert("contentType".to_owned(), json!(ct));
        }
        v
    }
}
