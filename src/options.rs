//! Dropdown sources: which list tool supplies the values of an input whose
//! value is the id of something in the tenant (an audience, a user, a piece
//! of content...).
//!
//! Each source is attached to its parameter field with
//! `#[schemars(extend("x-options" = crate::options::AUDIENCE))]`, so the hint
//! is generated from the Rust types like every other schema rule. It appears
//! in the validation flavour (`inputSchema`) and in the RJSF `uiSchema`
//! (`"ui:options": {"x-options": ...}`); the form, portable and strict
//! flavours stay free of custom keywords.
//!
//! A builder that acts on the hint runs `tool` (with the step's connection),
//! takes the items of its list output (`results`, or the first array in the
//! output), and offers `item[value]` as the value and `item[label]` as the
//! text shown.

use serde::Serialize;

/// Where the values of one input come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct OptionsSource {
    /// The list tool that yields the items.
    pub tool: &'static str,
    /// The item field whose value is put into the input.
    pub value: &'static str,
    /// The item field shown to the person choosing.
    pub label: &'static str,
}

impl OptionsSource {
    const fn new(tool: &'static str, value: &'static str, label: &'static str) -> Self {
        Self { tool, value, label }
    }
}

/// Audiences and structures, by id, shown by name.
pub const AUDIENCE: OptionsSource = OptionsSource::new("thrive_list_audiences", "id", "name");
/// Compliance assignments, by id.
pub const ASSIGNMENT: OptionsSource = OptionsSource::new("thrive_list_assignments", "id", "id");
/// Content items, by id, shown by title.
pub const CONTENT: OptionsSource = OptionsSource::new("thrive_query_content", "id", "title");
/// Users, by Thrive id, shown by email.
pub const USER_ID: OptionsSource = OptionsSource::new("thrive_search_users", "id", "email");
/// Users, by your organisation's reference, shown by email.
pub const USER_REF: OptionsSource = OptionsSource::new("thrive_search_users", "ref", "email");
/// Learning completions, by id.
pub const COMPLETION: OptionsSource = OptionsSource::new("thrive_list_completions", "id", "id");
/// Activities, by id, shown by name.
pub const ACTIVITY: OptionsSource = OptionsSource::new("thrive_query_activities", "id", "name");
/// Tags, by id, shown by the tag text.
pub const TAG: OptionsSource = OptionsSource::new("thrive_list_tags", "id", "tag");
/// Tag names (for inputs that take the tag text itself).
pub const TAG_NAME: OptionsSource = OptionsSource::new("thrive_list_tags", "tag", "tag");
/// CPD categories, by id, shown by name.
pub const CPD_CATEGORY: OptionsSource =
    OptionsSource::new("thrive_query_cpd_categories", "categoryId", "name");
/// CPD requirements, by id.
pub const CPD_REQUIREMENT: OptionsSource = OptionsSource::new(
    "thrive_query_cpd_requirements",
    "audienceRequirementId",
    "audienceRequirementId",
);
/// CPD log entries, by id, shown by activity.
pub const CPD_ENTRY: OptionsSource =
    OptionsSource::new("thrive_query_cpd_entries", "logEntryId", "activity");

/// The schema keyword that carries an [`OptionsSource`].
pub const KEYWORD: &str = "x-options";
