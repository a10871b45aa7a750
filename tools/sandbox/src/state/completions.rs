//! Learning completions (behaviour.md §14).
//!
//! Choices for undocumented behaviour:
//! - Create answers `201 {statementId}` when a record is created and
//!   `200 {statementId}` (the existing record's) when the same user, content
//!   and `completedAt` instant already exist.
//! - `statementId` is a UUID, distinct from the record's 24-hex `id`;
//!   `GET /learning/completions/{id}` accepts either.
//! - An unknown or deleted `userId` (the Thrive id) or an unknown `contentId`
//!   is 404. `completedAt` must be ISO 8601 (400).
//! - A new completion completes the user's `open`/`overdue` enrolments whose
//!   assignment has this content as primary or alternative content, and
//!   appends a `completed` activity.
//! - New records: `contentVersion` 1, `skills` = the content's tags,
//!   `completionType` `completed`, `isRPL` false, `hadDueDate` true when an
//!   enrolment was completed by it, `activeUntil` = `completedAt` plus the
//!   shortest recurrence of those assignments (else null).
//! - The date-range filters are inclusive; a bare date as
//!   `completedDateRangeEnd` covers the whole day.

use axum::http::StatusCode;
use serde_json::{Map, Value, json};

use super::db::Db;
use crate::error::ApiError;
use crate::fields::required_string;
use crate::model::assignments::EnrolmentStatus;
use crate::model::completions::{Completion, CompletionFilter};
use crate::model::content::Activity;
use crate::time::{DAY_MS, Millis, parse_iso};

impl Db {
    /// `POST /rest/v1/learning/completions`: 201 or 200 with `{statementId}`.
    pub(crate) fn create_completion(
        &mut self,
        map: &Map<String, Value>,
        now: Millis,
    ) -> Result<(StatusCode, Value), ApiError> {
        let user_id = required_string(map, "userId")?;
        let content_id = required_string(map, "contentId")?;
        let completed_at_raw = required_string(map, "completedAt")?;
        let completed_at = parse_iso(completed_at_raw.trim())
            .ok_or_else(|| ApiError::bad_request("completedAt must be an ISO 8601 timestamp"))?
            .millis;
        if self.users.by_id(&user_id).is_none() {
            return Err(ApiError::not_found("User not found"));
        }
        let Some(content) = self.contents.iter().find(|c| c.id == content_id) else {
            return Err(ApiError::not_found("Content not found"));
        };
        if let Some(existing) = self.completions.iter().find(|c| {
            c.user_id == user_id && c.content_id == content_id && c.completed_at == completed_at
        }) {
            return Ok((
                StatusCode::OK,
                json!({ "statementId": existing.statement_id }),
            ));
        }
        let skills = content.tags.clone();
        let title = content.title.clone();
        let content_type = content.kind.clone();
        let id = self.ids.next_id();
        let statement_id = self.ids.uuid();

        let mut had_due_date = false;
        let mut shortest_recurrence: Option<i64> = None;
        for a in self
            .assignments
            .iter_mut()
            .filter(|a| !a.is_deleted && a.completed_by(&content_id))
        {
            let recurrence = a.recurrence;
            for e in a.enrolments.iter_mut().filter(|e| {
                e.user_id == user_id
                    && matches!(e.status, EnrolmentStatus::Open | EnrolmentStatus::Overdue)
            }) {
                had_due_date = true;
                e.last_completed_at = Some(completed_at);
                e.transition(
                    "completed",
                    EnrolmentStatus::Complete,
                    Some(id.clone()),
                    now,
                );
                if let Some(r) = recurrence {
                    shortest_recurrence = Some(shortest_recurrence.map_or(r, |s| s.min(r)));
                }
            }
        }
        self.completions.push(Completion {
            id: id.clone(),
            statement_id: statement_id.clone(),
            user_id: user_id.clone(),
            content_id: content_id.clone(),
            content_version: 1,
            skills,
            completion_type: "completed",
            had_due_date,
            is_rpl: false,
            completed_at,
            active_until: shortest_recurrence.map(|r| completed_at + r * DAY_MS),
        });
        let activity_id = self.ids.next_id();
        self.activities.push(Activity {
            id: activity_id,
            user: user_id,
            kind: "completed",
            name: Some(title),
            date: completed_at,
            context_id: content_id,
            context_type: "content",
            content_type: Some(content_type),
            data: json!({ "completionId": id }),
        });
        Ok((StatusCode::CREATED, json!({ "statementId": statement_id })))
    }

    /// Completions matching `filter`, in creation order.
    pub(crate) fn list_completions(&self, filter: &CompletionFilter) -> Vec<&Completion> {
        self.completions
            .iter()
            .filter(|c| {
                filter
                    .content_id
                    .as_ref()
                    .is_none_or(|x| &c.content_id == x)
            })
            .filter(|c| filter.user_id.as_ref().is_none_or(|x| &c.user_id == x))
            .filter(|c| filter.is_rpl.is_none_or(|x| c.is_rpl == x))
            .filter(|c| filter.from.is_none_or(|x| c.completed_at >= x))
            .filter(|c| filter.to.is_none_or(|x| c.completed_at <= x))
            .collect()
    }
}
