//! The trigger registry: every [`Trigger`](super::Trigger) registered with
//! `inventory`, with its schemas generated once, and the filters a user sets.

use super::{DynTrigger, TriggerEntry, TriggerMeta, TriggerSource, event_type_matches};
use crate::error::{Error, ErrorCode, Result};
use crate::flavours::{self, Flavour};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The filters a user sets on a trigger in its form. Each trigger offers a
/// subset ([`Trigger::FILTERS`](super::Trigger::FILTERS)); an absent or
/// empty filter lets everything through.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TriggerFilters {
    /// Only these event types, e.g. `["content.passed"]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_types: Option<Vec<String>>,
    /// Only events about these content ids.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-options" = crate::options::CONTENT))]
    pub content_ids: Option<Vec<String>>,
    /// Only events about assignments to this audience id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-options" = crate::options::AUDIENCE))]
    pub audience_id: Option<String>,
    /// The assignment whose enrolments are polled (required by
    /// `thrive_on_enrolment_status_changed`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-options" = crate::options::ASSIGNMENT))]
    pub assignment_id: Option<String>,
    /// Only enrolments that changed to one of these statuses (default
    /// `overdue` and `complete`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend(
        "items" = {
            "type": "string",
            "enum": ["archived", "complete", "open", "overdue", "scheduled", "unassigned"]
        },
        "uniqueItems" = true
    ))]
    pub statuses: Option<Vec<String>>,
}

impl TriggerFilters {
    /// Whether an event (its type and its payload) passes the filters.
    pub fn matches(&self, event_type: &str, payload: &Value) -> bool {
        if let Some(types) = self.event_types.as_ref().filter(|t| !t.is_empty())
            && !types.iter().any(|t| event_type_matches(t, event_type))
        {
            return false;
        }
        if let Some(ids) = self.content_ids.as_ref().filter(|t| !t.is_empty()) {
            let content = payload
                .pointer("/content/id")
                .or_else(|| payload.pointer("/assignment/primaryContentId"))
                .or_else(|| payload.pointer("/item/contentId"))
                .and_then(Value::as_str);
            if !content.is_some_and(|c| ids.iter().any(|i| i == c)) {
                return false;
            }
        }
        if let Some(audience) = self.audience_id.as_deref().filter(|a| !a.is_empty()) {
            let got = payload
                .pointer("/assignment/audienceId")
                .or_else(|| payload.pointer("/item/audienceId"))
                .and_then(Value::as_str);
            if got != Some(audience) {
                return false;
            }
        }
        true
    }
}

/// One trigger in the catalogue, with its schemas generated once.
pub struct CatalogueTrigger {
    trigger: &'static dyn DynTrigger,
    meta: TriggerMeta,
    payload_schema: Value,
    filters_schema: Value,
    flavours: OnceLock<Flavours>,
}

/// The derived flavours, made on first use (most hosts read only one).
struct Flavours {
    form: Value,
    ui: Value,
    jsonforms_ui: Value,
    portable: Value,
    strict: Value,
    portable_output: Value,
}

impl CatalogueTrigger {
    fn new(trigger: &'static dyn DynTrigger) -> Self {
        let meta = trigger.meta();
        let mut filters_schema = crate::schema::input_schema_for::<TriggerFilters>();
        if let Some(Value::Object(props)) = filters_schema.get_mut("properties") {
            props.retain(|name, _| meta.filters.contains(&name.as_str()));
        }
        if meta.filters.contains(&"assignmentId")
            && let Value::Object(map) = &mut filters_schema
        {
            map.insert("required".into(), json!(["assignmentId"]));
        }
        Self {
            trigger,
            meta,
            payload_schema: trigger.payload_schema(),
            filters_schema,
            flavours: OnceLock::new(),
        }
    }

    fn flavours(&self) -> &Flavours {
        self.flavours.get_or_init(|| {
            let form = flavours::form(&self.filters_schema, self.meta.title, self.meta.description);
            Flavours {
                ui: flavours::ui(&form, &self.filters_schema),
                jsonforms_ui: flavours::jsonforms_ui(&form),
                portable: flavours::portable(&form),
                strict: flavours::strict(&form),
                portable_output: flavours::portable_output(&self.payload_schema),
                form,
            }
        })
    }

    /// The trigger's schema in one flavour, read as for a tool: the input
    /// side is the filters a user sets in the trigger's form, the output
    /// side is the event payload a workflow receives. The connection
    /// flavours are the tools' connection form for polling triggers (they
    /// call Thrive) and an empty form for webhook triggers (Thrive calls
    /// the receiver; nothing to connect).
    pub fn schema(&self, flavour: Flavour) -> Value {
        let polls = matches!(self.meta.source, TriggerSource::Polling { .. });
        match flavour {
            Flavour::Input => self.filters_schema.clone(),
            Flavour::Output => self.payload_schema.clone(),
            Flavour::Form => self.flavours().form.clone(),
            Flavour::Ui => self.flavours().ui.clone(),
            Flavour::JsonFormsUi => self.flavours().jsonforms_ui.clone(),
            Flavour::Connection if polls => flavours::connection(),
            Flavour::ConnectionUi if polls => flavours::connection_ui(),
            Flavour::Connection => json!({
                "type": "object",
                "title": "Connection",
                "description": "None: Thrive sends these events to the receiver; its URL and secret are set by Thrive's team.",
                "properties": {},
            }),
            Flavour::ConnectionUi => json!({}),
            Flavour::Portable => self.flavours().portable.clone(),
            Flavour::Strict => self.flavours().strict.clone(),
            Flavour::PortableOutput => self.flavours().portable_output.clone(),
        }
    }

    /// Static facts: id, title, description, event types, source, filters.
    pub fn meta(&self) -> &TriggerMeta {
        &self.meta
    }

    /// The JSON Schema of the typed payload.
    pub fn payload_schema(&self) -> &Value {
        &self.payload_schema
    }

    /// The JSON Schema of the filters a user may set.
    pub fn filters_schema(&self) -> &Value {
        &self.filters_schema
    }

    /// Whether this trigger covers `event_type`.
    pub fn covers(&self, event_type: &str) -> bool {
        self.meta
            .event_types
            .iter()
            .any(|p| event_type_matches(p, event_type))
    }

    /// Whether `payload` reads as this trigger's typed payload; the error
    /// names the first problem.
    pub fn check_payload(&self, payload: &Value) -> std::result::Result<(), String> {
        self.trigger.check_payload(payload)
    }

    /// Reads user-set filters (a JSON object; `null` or `{}` for none),
    /// refusing filters this trigger does not offer.
    pub fn filters(&self, value: &Value) -> Result<TriggerFilters> {
        if value.is_null() {
            return Ok(TriggerFilters::default());
        }
        if let Some(map) = value.as_object() {
            for key in map.keys() {
                if !self.meta.filters.contains(&key.as_str()) {
                    return Err(Error::field(
                        format!("/{key}"),
                        format!(
                            "{} has no filter {key:?}; it offers {}",
                            self.meta.id,
                            self.meta.filters.join(", ")
                        ),
                    ));
                }
            }
        }
        let filters: TriggerFilters = serde_json::from_value(value.clone())
            .map_err(|e| Error::field("", format!("filters could not be read: {e}")))?;
        // The statuses the form offers are the enrolment statuses Thrive
        // documents; anything else would never match, so it is refused.
        for (i, status) in filters.statuses.iter().flatten().enumerate() {
            if serde_json::from_value::<crate::thrive::enrolments::EnrolmentStatus>(Value::from(
                status.as_str(),
            ))
            .is_err()
            {
                return Err(Error::field(
                    format!("/statuses/{i}"),
                    format!(
                        "{status:?} is not an enrolment status; use archived, complete, open, overdue, scheduled or unassigned"
                    ),
                ));
            }
        }
        Ok(filters)
    }

    /// The trigger's manifest: metadata, the filters and payload schemas,
    /// and every schema flavour under the same keys as a tool's manifest
    /// (so a UI draws a trigger's form exactly as it draws a tool's).
    pub fn manifest(&self) -> Value {
        let m = &self.meta;
        let mut manifest = json!({
            "id": m.id,
            "kind": "trigger",
            "title": m.title,
            "description": m.description,
            "version": m.version,
            "source": m.source,
            "eventTypes": m.event_types,
            "filtersSchema": self.filters_schema,
            "payloadSchema": self.payload_schema,
        });
        if let Value::Object(map) = &mut manifest {
            for flavour in Flavour::ALL {
                map.insert(flavour.key().into(), self.schema(flavour));
            }
        }
        manifest
    }
}

fn registry() -> &'static BTreeMap<&'static str, CatalogueTrigger> {
    static REGISTRY: OnceLock<BTreeMap<&'static str, CatalogueTrigger>> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        inventory::iter::<TriggerEntry>
            .into_iter()
            .map(|e| {
                let t = CatalogueTrigger::new(e.0);
                (t.meta.id, t)
            })
            .collect()
    })
}

/// Every registered trigger, in id order.
pub fn all() -> impl Iterator<Item = &'static CatalogueTrigger> {
    registry().values()
}

/// The trigger with `id`, or `unknown_tool`.
pub fn find(id: &str) -> Result<&'static CatalogueTrigger> {
    registry().get(id).ok_or_else(|| {
        Error::new(
            ErrorCode::UnknownTool,
            format!("no trigger has the id {id:?}; `thrive-blocks list --triggers` shows them all"),
        )
    })
}

/// The webhook trigger that delivers `event_type` from `subscription`
/// (the untyped pass-through when none is more specific).
pub fn for_webhook(subscription: super::Subscription, event_type: &str) -> &'static str {
    all()
        .filter(|t| match t.meta.source {
            TriggerSource::Webhook { subscriptions } => subscriptions.contains(&subscription),
            TriggerSource::Polling { .. } => false,
        })
        .find(|t| t.covers(event_type))
        .map_or(super::payloads::OnOtherEvent::ID, |t| t.meta.id)
}

use super::Trigger as _;
