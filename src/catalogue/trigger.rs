//! A trigger in the catalogue: its schemas and flavours, made on first use,
//! and the filters a user sets.

use crate::call::DynTool;
use crate::error::{Error, ErrorCode, Result};
use crate::flavours::{self, Flavour};
use crate::triggers::{DynTrigger, TriggerFilters, TriggerMeta, TriggerSource, event_type_matches};
use serde_json::{Value, json};
use std::sync::OnceLock;

/// The event types a trigger's `eventTypes` filter offers: the trigger's
/// own, a family (`assignment.*`) spelled out as the events Thrive documents
/// in it where it documents them, and kept as the family otherwise.
pub(crate) fn filter_event_types(event_types: &[&'static str]) -> Vec<&'static str> {
    let mut out = Vec::new();
    for event in event_types {
        match *event {
            "assignment.*" => out.extend([
                "assignment.assigned",
                "assignment.updated",
                "assignment.removed",
            ]),
            "notification.*" => out.push("notification.dispatched"),
            other => out.push(other),
        }
    }
    out
}

/// States the trigger's own event types as the only items the `eventTypes`
/// filter takes, with one of them as the example, so a form offers exactly
/// the events this trigger can start on.
fn restrict_event_types(prop: &mut Value, event_types: &[&'static str]) {
    let values = filter_event_types(event_types);
    let example = values.first().copied().unwrap_or_default();
    if let Value::Object(map) = prop {
        map.insert(
            "description".into(),
            format!(
                "Start only for these kinds of event, e.g. {example}. Leave empty to start for every event this trigger receives."
            )
            .into(),
        );
        map.insert("items".into(), json!({"type": "string", "enum": values}));
        map.insert("uniqueItems".into(), true.into());
    }
}

/// One trigger in the catalogue. As for a tool, only its static facts are
/// read when the registry is built; its schemas, flavours and validator are
/// made the first time something asks for them, then kept.
pub struct CatalogueTrigger {
    trigger: &'static dyn DynTrigger,
    meta: TriggerMeta,
    /// The tool a polling trigger polls, found when the catalogue is built.
    polled: Option<&'static dyn DynTool>,
    schemas: OnceLock<Schemas>,
    flavours: OnceLock<flavours::Derived>,
    validator: OnceLock<std::result::Result<jsonschema::Validator, String>>,
}

/// A trigger's own schemas, made together (the input is the filters plus,
/// for a polling trigger, the polled tool's connection inputs).
struct Schemas {
    payload: Value,
    filters: Value,
    input: Value,
}

impl Schemas {
    fn of(trigger: &dyn DynTrigger, meta: &TriggerMeta, polled: Option<&dyn DynTool>) -> Self {
        let mut filters_schema = crate::schema::input_schema_for::<TriggerFilters>();
        if let Some(Value::Object(props)) = filters_schema.get_mut("properties") {
            props.retain(|name, _| meta.filters.contains(&name.as_str()));
        }
        if let Some(prop) = filters_schema.pointer_mut("/properties/eventTypes") {
            restrict_event_types(prop, meta.event_types);
        }
        if meta.filters.contains(&"assignmentId")
            && let Value::Object(map) = &mut filters_schema
        {
            map.insert("required".into(), json!(["assignmentId"]));
        }
        // The dialect, stated as the tools' input schemas state it.
        if let Value::Object(map) = &filters_schema {
            let mut stated = serde_json::Map::new();
            stated.insert(
                "$schema".into(),
                "https://json-schema.org/draft/2020-12/schema".into(),
            );
            stated.extend(map.clone());
            filters_schema = Value::Object(stated);
        }
        let mut payload_schema = trigger.output_schema();
        let input_schema = match polled {
            Some(tool) => {
                type_polled_item(&mut payload_schema, tool);
                with_connection(&filters_schema, tool)
            }
            None => filters_schema.clone(),
        };
        Self {
            payload: payload_schema,
            filters: filters_schema,
            input: input_schema,
        }
    }
}

impl CatalogueTrigger {
    pub(super) fn new(
        trigger: &'static dyn DynTrigger,
        polled: Option<&'static dyn DynTool>,
    ) -> Self {
        Self {
            trigger,
            meta: trigger.trigger_meta(),
            polled,
            schemas: OnceLock::new(),
            flavours: OnceLock::new(),
            validator: OnceLock::new(),
        }
    }

    fn schemas(&self) -> &Schemas {
        self.schemas
            .get_or_init(|| Schemas::of(self.trigger, &self.meta, self.polled))
    }

    /// The JSON Schema of what a user sets in the trigger's form: the
    /// filters, plus the connection for polling triggers.
    fn input_schema(&self) -> &Value {
        &self.schemas().input
    }

    /// Checks a value a user entered in the trigger's form (plus, for
    /// polling triggers, the connection), as
    /// [`Catalogue::validate`](crate::Catalogue::validate) checks a tool's:
    /// every problem at once, each naming its field. Returns the filters.
    /// Webhook triggers need no connection, so the connection inputs a host
    /// merges into every block's value are set aside for them.
    pub fn validate(&self, value: &Value) -> Result<TriggerFilters> {
        let mut input = match value {
            Value::Null => serde_json::Map::new(),
            Value::Object(map) => map.clone(),
            _ => {
                return Err(Error::field(
                    "",
                    format!("the inputs of {} must be a JSON object", self.meta.id),
                ));
            }
        };
        // As for tools: `null` is what form and AI hosts send for a field
        // left alone, so it means absent.
        input.retain(|_, v| !v.is_null());
        let connection: Vec<(String, Value)> = crate::params::Connection::FIELDS
            .iter()
            .filter_map(|f| input.remove_entry(*f))
            .collect();
        let filters = Value::Object(input.clone());
        // Polling triggers check the connection with the filters.
        if self.polls() {
            input.extend(connection);
        }
        let validator = self
            .validator
            .get_or_init(|| {
                jsonschema::validator_for(self.input_schema()).map_err(|e| e.to_string())
            })
            .as_ref()
            .map_err(|e| {
                Error::new(
                    ErrorCode::InvalidInput,
                    format!("the input schema of {} does not compile: {e}", self.meta.id),
                )
            })?;
        let violations =
            crate::schema::schema_violations(validator, self.input_schema(), &Value::Object(input));
        if !violations.is_empty() {
            return Err(Error::invalid_input(violations));
        }
        self.filters(&filters)
    }

    fn flavours(&self) -> &flavours::Derived {
        self.flavours.get_or_init(|| {
            flavours::Derived::of(
                self.input_schema(),
                self.payload_schema(),
                self.meta.title,
                self.meta.description,
            )
        })
    }

    fn polls(&self) -> bool {
        matches!(self.meta.source, TriggerSource::Polling { .. })
    }

    /// The trigger's schema in one flavour, read as for a tool: the input
    /// side is what a user sets in the trigger's form (its filters, plus
    /// the connection for polling triggers, which call Thrive), the output
    /// side is the event payload a workflow receives. `None` for the
    /// connection flavours of webhook triggers: Thrive calls the receiver,
    /// so there is nothing to connect.
    pub fn schema(&self, flavour: Flavour) -> Option<Value> {
        let polls = self.polls();
        Some(match flavour {
            Flavour::Input => self.input_schema().clone(),
            Flavour::Output => self.payload_schema().clone(),
            Flavour::Form => self.flavours().form.clone(),
            Flavour::Ui => self.flavours().ui.clone(),
            Flavour::JsonFormsUi => self.flavours().jsonforms_ui.clone(),
            Flavour::Connection if polls => flavours::connection(),
            Flavour::ConnectionUi if polls => flavours::connection_ui(),
            Flavour::Connection | Flavour::ConnectionUi => return None,
            Flavour::Portable => self.flavours().portable.clone(),
            Flavour::Strict => self.flavours().strict.clone(),
            Flavour::PortableOutput => self.flavours().portable_output.clone(),
        })
    }

    /// The trigger's erased form (for a [`WebhookRoutes`](crate::triggers::WebhookRoutes)).
    pub fn dyn_trigger(&self) -> &'static dyn DynTrigger {
        self.trigger
    }

    /// Static facts: id, title, description, event types, source, filters.
    pub fn meta(&self) -> &TriggerMeta {
        &self.meta
    }

    /// The JSON Schema of the typed payload.
    pub fn payload_schema(&self) -> &Value {
        &self.schemas().payload
    }

    /// The JSON Schema of the filters a user may set.
    pub fn filters_schema(&self) -> &Value {
        &self.schemas().filters
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
            if !crate::triggers::ENROLMENT_STATUSES.contains(&status.as_str()) {
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
            "filtersSchema": self.filters_schema(),
            "payloadSchema": self.payload_schema(),
        });
        if let Value::Object(map) = &mut manifest {
            for flavour in Flavour::ALL {
                if let Some(schema) = self.schema(flavour) {
                    map.insert(flavour.key().into(), schema);
                }
            }
        }
        manifest
    }
}

/// A polling trigger's input: the connection inputs exactly as the polled
/// tool takes them, then the filters.
fn with_connection(filters: &Value, tool: &dyn DynTool) -> Value {
    let mut input = filters.clone();
    let tool_input = super::tool::InputSchema::of(tool, &tool.meta()).schema;
    let mut props = serde_json::Map::new();
    for field in crate::params::Connection::FIELDS {
        if let Some(p) = tool_input["properties"].get(field) {
            props.insert(field.into(), p.clone());
        }
    }
    if let Some(Value::Object(own)) = input.get("properties") {
        props.extend(own.clone());
    }
    let mut required = vec![json!("tenantId"), json!("apiKey")];
    if let Some(Value::Array(own)) = input.get("required") {
        required.extend(own.iter().cloned());
    }
    if let Value::Object(map) = &mut input {
        map.insert("properties".into(), Value::Object(props));
        map.insert("required".into(), Value::Array(required));
        // The connection's own rule (a scope needs a client id); the polled
        // tool's rules about its other inputs do not apply here.
        if let Some(Value::Object(dependent)) = tool_input.get("dependentRequired") {
            let connection: serde_json::Map<String, Value> = dependent
                .iter()
                .filter(|(k, _)| crate::params::Connection::FIELDS.contains(&k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            if !connection.is_empty() {
                map.insert("dependentRequired".into(), Value::Object(connection));
            }
        }
    }
    input
}

/// A polling trigger's `item` is the polled tool's list item, so the
/// payload schema names its fields (AI hosts refuse free-form objects, and
/// a form or mapping UI can offer the fields): the items of the first list
/// in the tool's output.
fn type_polled_item(payload: &mut Value, tool: &dyn DynTool) {
    let output = tool.output_schema();
    let Some(items) = output
        .get("properties")
        .and_then(Value::as_object)
        .and_then(|props| props.values().find(|p| p["type"] == "array"))
        .and_then(|list| list.get("items"))
        .filter(|items| items.get("properties").is_some())
    else {
        return;
    };
    if let Some(item) = payload.pointer_mut("/properties/item") {
        let description = item.get("description").cloned();
        *item = items.clone();
        if let (Some(d), Value::Object(map)) = (description, item) {
            map.insert("description".into(), d);
        }
    }
}

/// Whether the trigger's schemas and flavours were made yet (for tests of
/// the catalogue's laziness).
#[cfg(test)]
impl CatalogueTrigger {
    pub(super) fn built(&self) -> (bool, bool) {
        (self.schemas.get().is_some(), self.flavours.get().is_some())
    }
}
