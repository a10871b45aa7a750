//! `thrive_get_enrolment`: `GET /rest/v1/assignments/{assignmentId}/enrolments/{enrolmentId}`.

use super::EnrolmentOutput;
use crate::api::ApiRequest;
use crate::block::Block;
use crate::error::Result;
use crate::params::Required;
use crate::tool::{Hints, Tool};
use schemars::JsonSchema;
use serde::Deserialize;

/// Get a single enrolment for a compliance assignment in Thrive.
pub struct GetEnrolment;

/// Inputs of [`GetEnrolment`].
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct GetEnrolmentParams {
    /// The assignment ID.
    #[schemars(extend("x-options" = crate::options::ASSIGNMENT))]
    pub assignment_id: Required,
    /// The enrolment ID.
    pub enrolment_id: Required,
}

impl Block for GetEnrolment {
    type Params = GetEnrolmentParams;
    type Output = EnrolmentOutput;

    const ID: &'static str = "thrive_get_enrolment";
    const TITLE: &'static str = "Get enrolment";
    const DESCRIPTION: &'static str =
        "Get a single enrolment for a compliance assignment in Thrive.";
    const ENDPOINT: &'static str =
        "GET /rest/v1/assignments/{assignmentId}/enrolments/{enrolmentId}";
    const HINTS: Hints = Hints::READ;
}

impl Tool for GetEnrolment {
    fn request(p: &Self::Params) -> Result<ApiRequest> {
        ApiRequest::endpoint(Self::ENDPOINT, &[&p.assignment_id, &p.enrolment_id])
    }
}

crate::register_tool!(GetEnrolment);
