//! Date inputs whose schema states their layout ([`DateText`]), so the form
//! and the check cannot disagree.

use super::*;

/// The schema keyword naming the layout of a date input in the validation
/// flavour (`date`, `date-time`, `timestamp`, `date-space-time`,
/// `local-date-time`). The catalogue checks every input that carries it, and
/// the form flavour turns it into `format: date`/`date-time` or a pattern.
pub const DATE_KEYWORD: &str = "x-thrive-format";
/// The schema keyword marking a comma-separated list input
/// (`"x-thrive-list": {"separator": ",", "items": {...}}`); the form flavour
/// turns it into a real array and the catalogue joins a real array back.
pub const LIST_KEYWORD: &str = "x-thrive-list";

/// A layout of date input that Thrive documents: its schema and its check.
pub trait DateKind: Send + Sync + 'static {
    /// The value of [`DATE_KEYWORD`].
    const NAME: &'static str;
    /// The pattern every accepted value matches (checked by the schema).
    const PATTERN: &'static str;
    /// Checks a value beyond the pattern (calendar dates, clock ranges).
    fn check(field: &str, value: &str, out: &mut Vec<Violation>);
}

/// A date or date-time, ISO 8601, that a form shows as a date picker
/// (`startDate`, `endDate`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Day {}
/// A date or date-time, ISO 8601, that a form shows as a date-time picker
/// (`updatedSince`, `updatedAtFrom`, ...). A bare date is accepted too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Instant {}
/// An ISO 8601 date-time that must carry a time (`completedAt`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timestamp {}
/// `YYYY-MM-DD hh:mm:ss` or a bare date (activities and CPD entries).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpaceDateTime {}
/// `YYYY-MM-DDThh:mm:ss` with no zone (CPD user summaries).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocalDateTime {}

pub(super) const ISO_PATTERN: &str =
    r"^\d{4}-\d{2}-\d{2}([Tt]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}(:?\d{2})?)?)?$";

impl DateKind for Day {
    const NAME: &'static str = "date";
    const PATTERN: &'static str = ISO_PATTERN;
    fn check(field: &str, value: &str, out: &mut Vec<Violation>) {
        check_date(field, Some(value), DateFormat::Iso8601, out);
    }
}

impl DateKind for Instant {
    const NAME: &'static str = "date-time";
    const PATTERN: &'static str = ISO_PATTERN;
    fn check(field: &str, value: &str, out: &mut Vec<Violation>) {
        check_date(field, Some(value), DateFormat::Iso8601, out);
    }
}

impl DateKind for Timestamp {
    const NAME: &'static str = "timestamp";
    const PATTERN: &'static str =
        r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}(:?\d{2})?)?$";
    fn check(field: &str, value: &str, out: &mut Vec<Violation>) {
        if value.contains(['T', 't']) {
            check_date(field, Some(value), DateFormat::Iso8601, out);
        } else {
            out.push(Violation::new(
                format!("/{field}"),
                format!(
                    "{field} must be an ISO 8601 date-time such as 2024-04-02T13:45:00Z, got {value:?}"
                ),
            ));
        }
    }
}

impl DateKind for SpaceDateTime {
    const NAME: &'static str = "date-space-time";
    const PATTERN: &'static str = r"^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?$";
    fn check(field: &str, value: &str, out: &mut Vec<Violation>) {
        check_date(field, Some(value), DateFormat::SpaceSeparated, out);
    }
}

impl DateKind for LocalDateTime {
    const NAME: &'static str = "local-date-time";
    const PATTERN: &'static str = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$";
    fn check(field: &str, value: &str, out: &mut Vec<Violation>) {
        check_date(field, Some(value), DateFormat::LocalDateTime, out);
    }
}

/// A date input in one of Thrive's documented layouts. Its schema states the
/// layout (pattern + [`DATE_KEYWORD`]) and [`check_by_schema`] applies the
/// matching check, so the form and the tool cannot disagree. Reads as `&str`.
pub struct DateText<K: DateKind> {
    text: String,
    kind: std::marker::PhantomData<fn() -> K>,
}

impl<K: DateKind> DateText<K> {
    /// Wraps a value (unchecked: the catalogue checks inputs before a tool sees them).
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            kind: std::marker::PhantomData,
        }
    }
}

/// Checks an optional date input against the layout its type names
/// ([`DateKind::check`]), reporting a problem under `field`.
pub fn check_date_input<K: DateKind>(
    field: &str,
    value: Option<&DateText<K>>,
    out: &mut Vec<Violation>,
) {
    if let Some(value) = value {
        K::check(field, &value.text, out);
    }
}

impl<K: DateKind> Clone for DateText<K> {
    fn clone(&self) -> Self {
        Self::new(self.text.clone())
    }
}

impl<K: DateKind> PartialEq for DateText<K> {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl<K: DateKind> std::ops::Deref for DateText<K> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.text
    }
}

impl<K: DateKind> fmt::Debug for DateText<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.text, f)
    }
}

impl<K: DateKind> fmt::Display for DateText<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl<'de, K: DateKind> Deserialize<'de> for DateText<K> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Self::new)
    }
}

impl<K: DateKind> Serialize for DateText<K> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl<K: DateKind> JsonSchema for DateText<K> {
    fn schema_name() -> Cow<'static, str> {
        format!("DateText_{}", K::NAME).into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": K::PATTERN,
            DATE_KEYWORD: K::NAME,
        })
    }
}
