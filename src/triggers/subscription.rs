//! Thrive's webhook subscription types.

use serde::Serialize;
use std::fmt;
use std::str::FromStr;

/// Thrive's subscription types: one URL (and optional secret) each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Subscription {
    /// `user_subscription`: `user.*`.
    #[serde(rename = "user_subscription")]
    User,
    /// `completion_subscription`: `content.completed`, `content.passed`.
    #[serde(rename = "completion_subscription")]
    Completion,
    /// `assignment_subscription`: `assignment.*`, `enrolment.*`.
    #[serde(rename = "assignment_subscription")]
    Assignment,
    /// `content_subscription`: `content.*`, `page.*`, `post.*`, `comment.*`, `moderation.*`.
    #[serde(rename = "content_subscription")]
    Content,
    /// `notification_subscription`: `notification.dispatched`.
    #[serde(rename = "notification_subscription")]
    Notification,
}

impl Subscription {
    /// All five, in documentation order.
    pub const ALL: [Subscription; 5] = [
        Self::User,
        Self::Completion,
        Self::Assignment,
        Self::Content,
        Self::Notification,
    ];

    /// The key, e.g. `completion_subscription`.
    pub fn key(self) -> &'static str {
        match self {
            Self::User => "user_subscription",
            Self::Completion => "completion_subscription",
            Self::Assignment => "assignment_subscription",
            Self::Content => "content_subscription",
            Self::Notification => "notification_subscription",
        }
    }

    /// The environment variable holding this subscription's secret, e.g.
    /// `THRIVE_WEBHOOK_SECRET_COMPLETION_SUBSCRIPTION`.
    pub fn secret_env(self) -> String {
        format!("THRIVE_WEBHOOK_SECRET_{}", self.key().to_ascii_uppercase())
    }
}

impl fmt::Display for Subscription {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

impl FromStr for Subscription {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|sub| sub.key() == s)
            .ok_or_else(|| {
                format!(
                    "unknown subscription {s:?}; expected one of user_subscription, completion_subscription, assignment_subscription, content_subscription, notification_subscription"
                )
            })
    }
}
