//! Assignments and their enrolments (behaviour.md §13).
//!
//! A small state engine keeps enrolments plausible:
//! - creating an assignment enrols every current member of the audience
//!   (`open`, due after `completionPeriod` days), with a first history entry
//!   `unassigned → open` (type `created`);
//! - adding a member to an audience with assignments enrols them the same way;
//!   re-adding a member whose enrolment was `unassigned` reopens it (type
//!   `reassigned`);
//! - removing a member moves their unfinished enrolments to `unassigned`
//!   (type `unassigned`);
//! - a completion of the primary (or an alternative) content moves `open` and
//!   `overdue` enrolments to `complete` (type `completed`, with the
//!   `completionId`);
//! - deleting an assignment (or its audience) soft-deletes it (`isDeleted`,
//!   `isActive: false`, `deletedAt`) and archives unfinished enrolments (type
//!   `archived`). Deleted assignments are 404 and left out of lists.
//!
//! History `type` values are not documented; the ones above are this
//! sandbox's. Statuses are not recomputed against the clock: nothing turns
//! `open` into `overdue` by itself.
//!
//! Other choices: an unknown `audienceId`, `contentId` or alternative content
//! id in a body is 404; `completionPeriod` must be 1–1095 days (the UI's 1 day
//! to 3 years) and `recurrence` ≥ 1 or null, else 400. Update and delete
//! require the assignment's own `audienceId` (id or reference); another
//! audience is 404 ("not found for this audience"), since the pair does not
//! exist. Update never moves an assignment.

use serde_json::{Map, Value};

use super::db::Db;
use crate::error::ApiError;
use crate::fields::{
    Field, field_bool, field_int, field_string, field_string_array, required_string,
};
use crate::model::assignments::{Assignment, Enrolment, EnrolmentStatus, HistoryEntry};
use crate::time::{DAY_MS, Millis};

fn completion_period(map: &Map<String, Value>) -> Result<Field<i64>, ApiError> {
    match field_int(map, "completionPeriod")? {
        Field::Set(n) if !(1..=1095).contains(&n) => Err(ApiError::bad_request(
            "completionPeriod must be between 1 and 1095 days",
        )),
        other => Ok(other),
    }
}

fn recurrence(map: &Map<String, Value>) -> Result<Field<i64>, ApiError> {
    match field_int(map, "recurrence")? {
        Field::Set(n) if n < 1 => Err(ApiError::bad_request(
            "recurrence must be a positive number of days or null",
        )),
        other => Ok(other),
    }
}

impl Db {
    fn content_exists(&self, id: &str) -> bool {
        self.contents.iter().any(|c| c.id == id)
    }

    fn check_contents(&self, ids: &[String]) -> Result<(), ApiError> {
        match ids.iter().find(|id| !self.content_exists(id)) {
            Some(missing) => Err(ApiError::not_found(format!("Content not found: {missing}"))),
            None => Ok(()),
        }
    }

    /// A live assignment by id, or 404.
    pub(crate) fn assignment_or_404(&self, id: &str) -> Result<usize, ApiError> {
        self.assignments
            .iter()
            .position(|a| a.id == id && !a.is_deleted)
            .ok_or_else(|| ApiError::not_found("Assignment not found"))
    }

    fn assignment_in_audience(&self, id: &str, audience_ident: &str) -> Result<usize, ApiError> {
        let idx = self.assignment_or_404(id)?;
        let audience = self.audience_or_404(audience_ident)?;
        if self.audiences[audience].id != self.assignments[idx].audience_id {
            return Err(ApiError::not_found(
                "Assignment not found for this audience",
            ));
        }
        Ok(idx)
    }

    fn new_enrolment(&mut self, user_id: &str, period: i64, now: Millis) -> Enrolment {
        Enrolment {
            id: self.ids.next_id(),
            user_id: user_id.to_owned(),
            status: EnrolmentStatus::Open,
            available_date: Some(now),
            due_date: Some(now + period * DAY_MS),
            last_completed_at: None,
            history: vec![HistoryEntry {
                kind: "created",
                completion_id: None,
                previous: EnrolmentStatus::Unassigned,
                next: EnrolmentStatus::Open,
                at: now,
            }],
            updated_at: now,
        }
    }

    /// `POST /rest/v1/assignments`: 201 with the Assignment.
    pub(crate) fn create_assignment(
        &mut self,
        map: &Map<String, Value>,
        now: Millis,
    ) -> Result<Value, ApiError> {
        let audience_ident = required_string(map, "audienceId")?;
        let content_id = required_string(map, "contentId")?;
        let alternatives = field_string_array(map, "alternativeContentIds")?
            .set()
            .unwrap_or_default();
        let hide = field_bool(map, "hideAlternativeContent")?
            .set()
            .unwrap_or(false);
        let period = completion_period(map)?.set().unwrap_or(30);
        let recurrence = recurrence(map)?.set();
        let audience = self.audience_or_404(&audience_ident)?;
        if !self.content_exists(&content_id) {
            return Err(ApiError::not_found("Content not found"));
        }
        self.check_contents(&alternatives)?;

        let audience_id = self.audiences[audience].id.clone();
        let members = self.audiences[audience].members.clone();
        let mut enrolments = Vec::with_capacity(members.len());
        for user_id in &members {
            enrolments.push(self.new_enrolment(user_id, period, now));
        }
        let assignment = Assignment {
            id: self.ids.next_id(),
            audience_id,
            primary_content_id: content_id,
            alternative_content_ids: alternatives,
            hide_alternative_content: hide,
            completion_period: period,
            recurrence,
            is_active: true,
            is_deleted: false,
            created_at: now,
            deleted_at: None,
            updated_at: now,
            enrolments,
        };
        let body = assignment.to_json();
        self.assignments.push(assignment);
        Ok(body)
    }

    /// `PATCH /rest/v1/assignments/{assignmentId}`.
    pub(crate) fn update_assignment(
        &mut self,
        id: &str,
        map: &Map<String, Value>,
        now: Millis,
    ) -> Result<Value, ApiError> {
        let audience_ident = required_string(map, "audienceId")?;
        let content_id = field_string(map, "contentId")?
            .set()
            .filter(|c| !c.trim().is_empty());
        let alternatives = field_string_array(map, "alternativeContentIds")?;
        let hide = field_bool(map, "hideAlternativeContent")?;
        let period = completion_period(map)?;
        let recurrence = recurrence(map)?;
        let idx = self.assignment_in_audience(id, &audience_ident)?;
        if let Some(c) = &content_id
            && !self.content_exists(c)
        {
            return Err(ApiError::not_found("Content not found"));
        }
        if let Field::Set(alts) = &alternatives {
            self.check_contents(alts)?;
        }
        let a = &mut self.assignments[idx];
        if let Some(c) = content_id {
            a.primary_content_id = c;
        }
        match alternatives {
            Field::Set(alts) => a.alternative_content_ids = alts,
            Field::Null => a.alternative_content_ids.clear(),
            Field::Absent => {}
        }
        if let Field::Set(h) = hide {
            a.hide_alternative_content = h;
        }
        match period {
            Field::Set(p) => a.completion_period = p,
            Field::Null => a.completion_period = 30,
            Field::Absent => {}
        }
        match recurrence {
            Field::Set(r) => a.recurrence = Some(r),
            Field::Null => a.recurrence = None,
            Field::Absent => {}
        }
        a.updated_at = now;
        Ok(a.to_json())
    }

    /// `DELETE /rest/v1/assignments/{assignmentId}` with `{audienceId}`.
    pub(crate) fn delete_assignment(
        &mut self,
        id: &str,
        map: &Map<String, Value>,
        now: Millis,
    ) -> Result<(), ApiError> {
        let audience_ident = match field_string(map, "audienceId")? {
            Field::Set(s) if !s.trim().is_empty() => s,
            _ => {
                return Err(ApiError::bad_request(
                    "audienceId is required in the request body",
                ));
            }
        };
        let idx = self.assignment_in_audience(id, &audience_ident)?;
        retire(&mut self.assignments[idx], now);
        Ok(())
    }

    /// Soft-deletes every assignment of an audience (used when it is deleted).
    pub(crate) fn retire_assignments_of(&mut self, audience_id: &str, now: Millis) {
        for a in self
            .assignments
            .iter_mut()
            .filter(|a| a.audience_id == audience_id && !a.is_deleted)
        {
            retire(a, now);
        }
    }

    /// Enrols a new audience member in the audience's assignments.
    pub(crate) fn enrol_user(&mut self, audience_id: &str, user_id: &str, now: Millis) {
        let targets: Vec<usize> = self
            .assignments
            .iter()
            .enumerate()
            .filter(|(_, a)| a.audience_id == audience_id && !a.is_deleted)
            .map(|(i, _)| i)
            .collect();
        for idx in targets {
            let period = self.assignments[idx].completion_period;
            let existing = self.assignments[idx]
                .enrolments
                .iter()
                .position(|e| e.user_id == user_id);
            match existing {
                Some(e) => {
                    let enrolment = &mut self.assignments[idx].enrolments[e];
                    if enrolment.status == EnrolmentStatus::Unassigned {
                        enrolment.available_date = Some(now);
                        enrolment.due_date = Some(now + period * DAY_MS);
                        enrolment.transition("reassigned", EnrolmentStatus::Open, None, now);
                    }
                }
                None => {
                    let enrolment = self.new_enrolment(user_id, period, now);
                    self.assignments[idx].enrolments.push(enrolment);
                }
            }
        }
    }

    /// Unassigns a leaving member's unfinished enrolments.
    pub(crate) fn unassign_user(&mut self, audience_id: &str, user_id: &str, now: Millis) {
        for a in self
            .assignments
            .iter_mut()
            .filter(|a| a.audience_id == audience_id && !a.is_deleted)
        {
            for e in a
                .enrolments
                .iter_mut()
                .filter(|e| e.user_id == user_id && e.status.is_unfinished())
            {
                e.transition("unassigned", EnrolmentStatus::Unassigned, None, now);
            }
        }
    }
}

fn retire(a: &mut Assignment, now: Millis) {
    a.is_deleted = true;
    a.is_active = false;
    a.deleted_at = Some(now);
    a.updated_at = now;
    for e in a.enrolments.iter_mut().filter(|e| e.status.is_unfinished()) {
        e.transition("archived", EnrolmentStatus::Archived, None, now);
    }
}
