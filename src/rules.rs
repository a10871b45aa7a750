//! Cross-field rules: what one input requires of another, declared once per
//! tool ([`Tool::RULES`]) and stated in every schema flavour that can say it
//! (`if`/`then`/`else` and `dependentRequired` in the validation flavour,
//! `dependencies` in the draft-07 form flavour, a sentence in the portable
//! and strict flavours).
//!
//! The catalogue checks every rule of a tool once, from this declaration
//! (in the JSON door, `crate::call`'s rule check), with the rule's own
//! message for a person; a tool's
//! `validate` never checks a declared rule again. The tests check that every
//! rule stated here is refused by both the schema and the catalogue.
//!
//! [`Tool::RULES`]: crate::block::Block::RULES

use serde_json::{Map, Value, json};

/// The schema keyword listing a tool's rules in words, each with the input
/// it is about and the other input it names:
/// `"x-rules": [{"rule": "notBefore", "field": "endDate", "other": "startDate", "description": "..."}]`.
pub const RULES_KEYWORD: &str = "x-rules";

/// One rule between two inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// `field` is required unless `other` is `value`.
    RequiredUnless {
        /// The input that is required.
        field: &'static str,
        /// The input that can lift the requirement.
        other: &'static str,
        /// The value of `other` that lifts it.
        value: &'static str,
        /// What a person reads when the rule is broken.
        message: &'static str,
    },
    /// `field` is required when `other` is `value`.
    RequiredWhen {
        /// The input that is required.
        field: &'static str,
        /// The input that triggers the requirement.
        other: &'static str,
        /// The value of `other` that triggers it.
        value: &'static str,
        /// What a person reads when the rule is broken.
        message: &'static str,
    },
    /// `field` must be left out when `other` is `value`.
    AbsentWhen {
        /// The input that must be left out.
        field: &'static str,
        /// The input that forbids it.
        other: &'static str,
        /// The value of `other` that forbids it.
        value: &'static str,
        /// What a person reads when the rule is broken.
        message: &'static str,
    },
    /// The date `field` must not be before the date `start` when both are
    /// given: the end of a range. JSON Schema cannot compare two values, so
    /// the schema states it in words (`x-rules`, the field's description)
    /// and the catalogue checks it with the tool's other rules.
    NotBefore {
        /// The end of the range.
        field: &'static str,
        /// The start of the range.
        start: &'static str,
    },
    /// `field` may only be given together with `needs`.
    Requires {
        /// The dependent input.
        field: &'static str,
        /// The input it needs.
        needs: &'static str,
        /// What a person reads when the rule is broken (reported at
        /// `needs`, the input to fill in).
        message: &'static str,
    },
}

impl Rule {
    /// The rule as a sentence.
    pub fn sentence(&self) -> String {
        match self {
            Rule::RequiredUnless {
                field,
                other,
                value,
                ..
            } => format!("{field} is required unless {other} is '{value}'."),
            Rule::RequiredWhen {
                field,
                other,
                value,
                ..
            } => format!("{field} is required when {other} is '{value}'."),
            Rule::AbsentWhen {
                field,
                other,
                value,
                ..
            } => format!("{field} must be left out when {other} is '{value}'."),
            Rule::Requires { field, needs, .. } => {
                format!("{field} may only be given with {needs}.")
            }
            Rule::NotBefore { field, start } => {
                format!("{field} must not be before {start}.")
            }
        }
    }

    /// The other input the rule names, and the value of it that matters
    /// (`None` for rules about a value of no other input).
    pub fn other(&self) -> (Option<&'static str>, Option<&'static str>) {
        match *self {
            Rule::RequiredUnless { other, value, .. }
            | Rule::RequiredWhen { other, value, .. }
            | Rule::AbsentWhen { other, value, .. } => (Some(other), Some(value)),
            Rule::NotBefore { start, .. } => (Some(start), None),
            Rule::Requires { needs, .. } => (Some(needs), None),
        }
    }

    /// The rule's kind as `x-rules` names it (`requiredUnless`, `notBefore`, ...).
    pub fn kind(&self) -> &'static str {
        match self {
            Rule::RequiredUnless { .. } => "requiredUnless",
            Rule::RequiredWhen { .. } => "requiredWhen",
            Rule::AbsentWhen { .. } => "absentWhen",
            Rule::NotBefore { .. } => "notBefore",
            Rule::Requires { .. } => "requires",
        }
    }

    /// The input the rule is about (the one a violation names).
    pub fn field(&self) -> &'static str {
        match *self {
            Rule::RequiredUnless { field, .. }
            | Rule::RequiredWhen { field, .. }
            | Rule::AbsentWhen { field, .. }
            | Rule::NotBefore { field, .. }
            | Rule::Requires { field, .. } => field,
        }
    }

    /// The `if`/`then`/`else` schema of a conditional rule (`None` for
    /// [`Rule::Requires`], which is `dependentRequired`).
    fn conditional(&self) -> Option<Value> {
        let when = |other: &str, value: &str| json!({"type": "object", "properties": {other: {"const": value}}, "required": [other]});
        let require = |field: &str| json!({"type": "object", "required": [field]});
        let rule = match *self {
            Rule::RequiredUnless {
                field,
                other,
                value,
                ..
            } => json!({"if": when(other, value), "else": require(field)}),
            Rule::RequiredWhen {
                field,
                other,
                value,
                ..
            } => json!({"if": when(other, value), "then": require(field)}),
            Rule::AbsentWhen {
                field,
                other,
                value,
                ..
            } => json!({"if": when(other, value), "then": {"not": require(field)}}),
            Rule::Requires { .. } | Rule::NotBefore { .. } => return None,
        };
        let mut rule = rule;
        if let Value::Object(map) = &mut rule {
            map.insert("description".into(), self.sentence().into());
        }
        Some(rule)
    }
}

/// Adds `rules` to a 2020-12 object schema: conditional rules under
/// `allOf`, dependencies under `dependentRequired`, and every rule, in words
/// and with the input it is about, under `x-rules` (for hosts that show
/// rules beside a field, and for the rules no keyword can state).
pub fn add_to_schema(schema: &mut Map<String, Value>, rules: &[Rule]) {
    let stated: Vec<Value> = rules
        .iter()
        .map(|r| {
            let mut stated =
                json!({"rule": r.kind(), "field": r.field(), "description": r.sentence()});
            let (other, value) = r.other();
            if let (Value::Object(map), Some(other)) = (&mut stated, other) {
                map.insert("other".into(), other.into());
                if let Some(value) = value {
                    map.insert("value".into(), value.into());
                }
            }
            stated
        })
        .collect();
    if !stated.is_empty() {
        schema.insert(RULES_KEYWORD.into(), Value::Array(stated));
    }
    let conditionals: Vec<Value> = rules.iter().filter_map(Rule::conditional).collect();
    if !conditionals.is_empty() {
        schema.insert("allOf".into(), Value::Array(conditionals));
    }
    let mut dependent = Map::new();
    for rule in rules {
        if let Rule::Requires { field, needs, .. } = rule {
            let entry = dependent
                .entry(field.to_string())
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(list) = entry {
                list.push(Value::from(*needs));
            }
        }
    }
    if !dependent.is_empty() {
        schema.insert("dependentRequired".into(), Value::Object(dependent));
    }
}
