//! Cross-field rules: what one input requires of another, declared once per
//! tool ([`Tool::RULES`]) and stated in every schema flavour that can say it
//! (`if`/`then`/`else` and `dependentRequired` in the validation flavour,
//! `dependencies` in the draft-07 form flavour, a sentence in the portable
//! and strict flavours).
//!
//! The catalogue checks them with the tool's own `validate`, which words the
//! message for a person; the tests check that every rule stated here is
//! refused by both the schema and the catalogue.
//!
//! [`Tool::RULES`]: crate::tool::Tool::RULES

use serde_json::{Map, Value, json};

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
    },
    /// `field` is required when `other` is `value`.
    RequiredWhen {
        /// The input that is required.
        field: &'static str,
        /// The input that triggers the requirement.
        other: &'static str,
        /// The value of `other` that triggers it.
        value: &'static str,
    },
    /// `field` must be left out when `other` is `value`.
    AbsentWhen {
        /// The input that must be left out.
        field: &'static str,
        /// The input that forbids it.
        other: &'static str,
        /// The value of `other` that forbids it.
        value: &'static str,
    },
    /// `field` may only be given together with `needs`.
    Requires {
        /// The dependent input.
        field: &'static str,
        /// The input it needs.
        needs: &'static str,
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
            } => format!("{field} is required unless {other} is '{value}'."),
            Rule::RequiredWhen {
                field,
                other,
                value,
            } => format!("{field} is required when {other} is '{value}'."),
            Rule::AbsentWhen {
                field,
                other,
                value,
            } => format!("{field} must be left out when {other} is '{value}'."),
            Rule::Requires { field, needs } => {
                format!("{field} may only be given with {needs}.")
            }
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
            } => json!({"if": when(other, value), "else": require(field)}),
            Rule::RequiredWhen {
                field,
                other,
                value,
            } => json!({"if": when(other, value), "then": require(field)}),
            Rule::AbsentWhen {
                field,
                other,
                value,
            } => json!({"if": when(other, value), "then": {"not": require(field)}}),
            Rule::Requires { .. } => return None,
        };
        let mut rule = rule;
        if let Value::Object(map) = &mut rule {
            map.insert("description".into(), self.sentence().into());
        }
        Some(rule)
    }
}

/// Adds `rules` to a 2020-12 object schema: conditional rules under
/// `allOf`, dependencies under `dependentRequired`.
pub fn add_to_schema(schema: &mut Map<String, Value>, rules: &[Rule]) {
    let conditionals: Vec<Value> = rules.iter().filter_map(Rule::conditional).collect();
    if !conditionals.is_empty() {
        schema.insert("allOf".into(), Value::Array(conditionals));
    }
    let mut dependent = Map::new();
    for rule in rules {
        if let Rule::Requires { field, needs } = rule {
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
