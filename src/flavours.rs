//! Schema flavours: the one validation schema of a tool, generated from its
//! Rust parameter types, turned into what each kind of host accepts.
//!
//! | flavour | for | made by |
//! |---|---|---|
//! | `inputSchema` | the catalogue's own validation, Rust hosts | [`crate::schema::full_input_schema`] |
//! | `formSchema` | RJSF, JSON Forms, any form builder | [`form`] |
//! | `uiSchema` / `uischema` | RJSF / JSON Forms layout | [`ui`] / [`jsonforms_ui`] |
//! | `connectionSchema` (+ `connectionUiSchema`) | the credential form, drawn once | [`connection`] / [`connection_ui`] |
//! | `portableSchema` | MCP `tools/list`, AI hosts (Gemini's subset) | [`portable`] |
//! | `strictSchema` | OpenAI strict function calling | [`strict`] |
//! | `portableOutputSchema` | output schemas for AI hosts | [`portable_output`] |
//!
//! Every flavour is a pure function of the validation flavour, so a rule
//! stated once in a Rust type (an enum, a date layout, a JSON-text list with
//! its item shape and counts, a comma list of documented values, a
//! cross-field [`Rule`]) reaches every host in the form that host reads.
//!
//! [`Rule`]: crate::rules::Rule

use crate::options;
use crate::params::{Connection, DATE_KEYWORD, LIST_KEYWORD};
use serde_json::{Map, Value, json};

/// The schema flavours a tool's manifest carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Flavour {
    /// `inputSchema`: 2020-12, every rule stated, connection included.
    Input,
    /// `outputSchema`: 2020-12.
    Output,
    /// `formSchema`: draft-07, the tool's own inputs, no custom keywords.
    Form,
    /// `uiSchema`: RJSF hints for `formSchema`.
    Ui,
    /// `uischema`: a JSON Forms layout for `formSchema`.
    JsonFormsUi,
    /// `connectionSchema`: the connection (credential) form.
    Connection,
    /// `connectionUiSchema`: RJSF hints for `connectionSchema`.
    ConnectionUi,
    /// `portableSchema`: Gemini's function-declaration subset.
    Portable,
    /// `strictSchema`: OpenAI's strict function-calling form.
    Strict,
    /// `portableOutputSchema`: the output under the portable rules.
    PortableOutput,
}

impl Flavour {
    /// Every flavour, in manifest order.
    pub const ALL: [Flavour; 10] = [
        Flavour::Input,
        Flavour::Output,
        Flavour::Form,
        Flavour::Ui,
        Flavour::JsonFormsUi,
        Flavour::Connection,
        Flavour::ConnectionUi,
        Flavour::Portable,
        Flavour::Strict,
        Flavour::PortableOutput,
    ];

    /// The manifest key of the flavour (`formSchema`, ...).
    pub fn key(self) -> &'static str {
        match self {
            Flavour::Input => "inputSchema",
            Flavour::Output => "outputSchema",
            Flavour::Form => "formSchema",
            Flavour::Ui => "uiSchema",
            Flavour::JsonFormsUi => "uischema",
            Flavour::Connection => "connectionSchema",
            Flavour::ConnectionUi => "connectionUiSchema",
            Flavour::Portable => "portableSchema",
            Flavour::Strict => "strictSchema",
            Flavour::PortableOutput => "portableOutputSchema",
        }
    }

    /// The short name used on the command line (`input`, `form`, `ui`,
    /// `jsonforms`, `connection`, `connection-ui`, `portable`, `strict`,
    /// `output`, `portable-output`).
    pub fn name(self) -> &'static str {
        match self {
            Flavour::Input => "input",
            Flavour::Output => "output",
            Flavour::Form => "form",
            Flavour::Ui => "ui",
            Flavour::JsonFormsUi => "jsonforms",
            Flavour::Connection => "connection",
            Flavour::ConnectionUi => "connection-ui",
            Flavour::Portable => "portable",
            Flavour::Strict => "strict",
            Flavour::PortableOutput => "portable-output",
        }
    }

    /// The flavour with this short name or manifest key.
    pub fn from_name(name: &str) -> Option<Flavour> {
        Flavour::ALL
            .into_iter()
            .find(|f| f.name() == name || f.key() == name)
    }
}

/// The draft-07 meta-schema URI, which every JSON Schema library knows.
pub const DRAFT_07: &str = "http://json-schema.org/draft-07/schema#";

/// The fields every paginated tool shares; forms put them under "Advanced".
pub const PAGING_FIELDS: [&str; 4] = ["page", "perPage", "returnAll", "maxResults"];

/// A human title for an input name: `firstName` is "First name".
pub fn field_title(name: &str) -> String {
    let fixed = match name {
        "tenantId" => "Tenant ID",
        "apiKey" => "API key",
        "host" => "Region",
        "clientId" => "OAuth client ID",
        "scope" => "OAuth scope",
        "audienceId" => "Audience",
        "parentId" => "Parent structure",
        "assignmentId" => "Assignment",
        "contentId" => "Content",
        "userId" => "User",
        "ref" => "User reference",
        "userRef" => "User",
        "managerRef" => "Line manager",
        "tagId" => "Tag",
        "categoryId" => "CPD category",
        "audienceRequirementId" => "CPD requirement",
        "logEntryId" => "CPD log entry",
        "enrolmentId" => "Enrolment ID",
        "id" => "ID",
        "isRPL" => "Recognition of prior learning (RPL)",
        "perPage" => "Results per page",
        "returnAll" => "Return all pages",
        "maxResults" => "Maximum results",
        "sso" => "Single sign-on (SSO)",
        "additionalFields" => "Custom fields",
        "alternativeContentIds" => "Alternative content",
        "contentIds" => "Content IDs",
        "userIds" => "User IDs",
        "omitStatuses" => "Exclude statuses",
        "omitTypes" => "Exclude content types",
        "omitActions" => "Exclude actions",
        "types" => "Content types",
        "apiControlled" => "Controlled by the API",
        "updatedAtFrom" => "Updated from",
        "updatedAtTo" => "Updated until",
        "completedDateRangeStart" => "Completed from",
        "completedDateRangeEnd" => "Completed until",
        "timestampFrom" => "From",
        "timestampTo" => "To",
        "email" => "Email",
        _ => return humanise(name),
    };
    fixed.to_owned()
}

/// `loginMethod` becomes "Login method"; `learneradmin`-style values are
/// left to [`value_label`].
fn humanise(name: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    for c in name.chars() {
        if (c.is_uppercase() || c == '_' || c == '-' || c == ' ') && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        if c != '_' && c != '-' && c != ' ' {
            current.push(c);
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    let mut out = words
        .iter()
        .map(|w| {
            if w == "Id" || w == "id" {
                "ID".to_owned()
            } else {
                w.to_lowercase()
            }
        })
        .collect::<Vec<_>>()
        .join(" ");
    if let Some(first) = out.get(..1) {
        out = first.to_uppercase() + &out[1..];
    }
    out
}

/// A human label for a documented value: `learneradmin` is "Learner admin".
pub fn value_label(value: &str) -> String {
    let fixed = match value {
        "learneradmin" => "Learner admin",
        "email" => "Email address",
        "ref" => "Reference",
        "elearning" => "E-learning",
        "scorm" => "SCORM",
        "cmi5" => "cmi5",
        "pdf" => "PDF",
        "api/read" => "Read only (api/read)",
        "api/write" => "Write only (api/write)",
        "api/all" => "Read and write (api/all)",
        "api/webhooks" => "Provisioning webhooks (api/webhooks)",
        "public.api.learn.link" => "Production, all regions except MEA (public.api.learn.link)",
        "public.api.mea.learn.tech" => "Production, MEA (public.api.mea.learn.tech)",
        "public.api.learnstaging.link" => {
            "Staging, all regions except MEA (public.api.learnstaging.link)"
        }
        "public.api.meastaging.learn.tech" => "Staging, MEA (public.api.meastaging.learn.tech)",
        _ => return humanise(value),
    };
    fixed.to_owned()
}

/// Descriptions are written for developers; forms show them as help text.
fn plain(description: &str) -> String {
    description.replace('`', "")
}

/// The form flavour: the tool's own inputs (no connection) as a draft-07
/// schema that form libraries draw and validate without extensions.
pub fn form(input: &Value, title: &str, description: &str) -> Value {
    let mut properties = Map::new();
    if let Some(props) = input.get("properties").and_then(Value::as_object) {
        for (name, prop) in props {
            if Connection::FIELDS.contains(&name.as_str()) {
                continue;
            }
            properties.insert(name.clone(), form_field(name, prop));
        }
    }
    let required: Vec<Value> = own_required(input);
    let mut schema = Map::new();
    schema.insert("$schema".into(), DRAFT_07.into());
    schema.insert("title".into(), title.into());
    schema.insert("description".into(), plain(description).into());
    schema.insert("type".into(), "object".into());
    schema.insert("properties".into(), Value::Object(properties));
    schema.insert("required".into(), Value::Array(required));
    schema.insert("additionalProperties".into(), false.into());
    if let Some(rules) = input.get("allOf") {
        schema.insert("allOf".into(), rules.clone());
    }
    if let Some(deps) = input.get("dependentRequired").and_then(Value::as_object) {
        let own: Map<String, Value> = deps
            .iter()
            .filter(|(k, _)| !Connection::FIELDS.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if !own.is_empty() {
            schema.insert("dependencies".into(), Value::Object(own));
        }
    }
    Value::Object(schema)
}

/// The required inputs that are the tool's own (not the connection's).
fn own_required(input: &Value) -> Vec<Value> {
    input
        .get("required")
        .and_then(Value::as_array)
        .map(|r| {
            r.iter()
                .filter(|n| n.as_str().is_some_and(|n| !Connection::FIELDS.contains(&n)))
                .cloned()
                .collect()
        })
        .unwrap_or_default()
}

/// One input in the form flavour, with its title.
fn form_field(name: &str, prop: &Value) -> Value {
    let mut field = form_schema(prop);
    if let Value::Object(map) = &mut field {
        map.insert("title".into(), field_title(name).into());
        // Title first, for people reading the JSON.
        let title = map.shift_remove("title");
        let mut ordered = Map::new();
        if let Some(t) = title {
            ordered.insert("title".into(), t);
        }
        ordered.extend(std::mem::take(map));
        *map = ordered;
    }
    field
}

/// Any (sub)schema in the form flavour: JSON text drawn as its decoded
/// value, comma lists as arrays, enums as titled options, date layouts as
/// formats, and no custom keywords.
fn form_schema(prop: &Value) -> Value {
    let Value::Object(src) = prop else {
        return prop.clone();
    };
    let description = src.get("description").and_then(Value::as_str).map(plain);
    // JSON text: draw the decoded value.
    if let Some(content) = src.get("contentSchema") {
        let mut decoded = form_schema(content);
        if let (Value::Object(map), Some(d)) = (&mut decoded, &description) {
            map.insert("description".into(), d.clone().into());
        }
        if let Value::Object(map) = &mut decoded
            && map.get("type") == Some(&Value::from("object"))
            && !map.contains_key("properties")
        {
            // A free object (custom fields): string values, added by key.
            map.insert("additionalProperties".into(), json!({"type": "string"}));
        }
        return decoded;
    }
    // A comma list: an array of its items.
    if let Some(list) = src.get(LIST_KEYWORD) {
        let items = list
            .get("items")
            .map(form_schema)
            .unwrap_or_else(|| json!({"type": "string"}));
        let mut out = Map::new();
        out.insert("type".into(), "array".into());
        out.insert("items".into(), items);
        out.insert("uniqueItems".into(), true.into());
        if let Some(d) = description {
            out.insert("description".into(), d.into());
        }
        return Value::Object(out);
    }
    let mut out = Map::new();
    let date = src.get(DATE_KEYWORD).and_then(Value::as_str);
    for (key, value) in src {
        if key.starts_with("x-") || key == "contentMediaType" {
            continue;
        }
        match key.as_str() {
            "description" => {
                out.insert(
                    key.clone(),
                    plain(value.as_str().unwrap_or_default()).into(),
                );
            }
            "pattern" if matches!(date, Some("date" | "date-time" | "timestamp")) => {}
            "enum" => {
                let descriptions = src.get("x-enumDescriptions").and_then(Value::as_array);
                let options: Vec<Value> = value
                    .as_array()
                    .into_iter()
                    .flatten()
                    .enumerate()
                    .map(|(i, v)| {
                        let mut option = Map::new();
                        option.insert("const".into(), v.clone());
                        option.insert(
                            "title".into(),
                            v.as_str()
                                .map(value_label)
                                .unwrap_or_else(|| v.to_string())
                                .into(),
                        );
                        if let Some(Value::String(d)) = descriptions.and_then(|d| d.get(i)) {
                            option.insert("description".into(), plain(d).into());
                        }
                        Value::Object(option)
                    })
                    .collect();
                out.insert("oneOf".into(), Value::Array(options));
            }
            "properties" => {
                let props: Map<String, Value> = value
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(k, v)| (k.clone(), form_field(k, v)))
                    .collect();
                out.insert(key.clone(), Value::Object(props));
            }
            "items" => {
                out.insert(key.clone(), form_schema(value));
            }
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    match date {
        Some("date") => {
            out.insert("format".into(), "date".into());
        }
        Some("date-time" | "timestamp") => {
            out.insert("format".into(), "date-time".into());
        }
        _ => {}
    }
    Value::Object(out)
}

/// The RJSF uiSchema for a form flavour: field order (required first, paging
/// last), dropdown sources, placeholders, and an "Advanced" group hint.
pub fn ui(form: &Value, input: &Value) -> Value {
    let mut ui = Map::new();
    let order = field_order(form);
    let mut with_rest: Vec<Value> = order.iter().map(|s| Value::from(s.as_str())).collect();
    with_rest.push("*".into());
    ui.insert("ui:order".into(), Value::Array(with_rest));
    let advanced: Vec<&str> = order
        .iter()
        .map(String::as_str)
        .filter(|f| PAGING_FIELDS.contains(f))
        .collect();
    if !advanced.is_empty() {
        ui.insert(
            "ui:options".into(),
            json!({"groups": [{"title": "Advanced", "fields": advanced}]}),
        );
    }
    let input_props = input.get("properties").and_then(Value::as_object);
    if let Some(props) = form.get("properties").and_then(Value::as_object) {
        for (name, prop) in props {
            let mut field = Map::new();
            let source = input_props
                .and_then(|p| p.get(name))
                .and_then(|p| p.get(options::KEYWORD));
            let is_array = prop.get("type") == Some(&Value::from("array"));
            if let Some(source) = source {
                let hint = json!({"ui:options": {options::KEYWORD: source}});
                if is_array {
                    field.insert("items".into(), hint);
                } else if let Value::Object(h) = hint {
                    field.extend(h);
                }
            }
            if let Some(placeholder) = placeholder(prop) {
                field.insert("ui:placeholder".into(), placeholder.into());
            }
            if prop.get("type") == Some(&Value::from("object")) && prop.get("properties").is_none()
            {
                field.insert(
                    "ui:options".into(),
                    json!({"expandable": true, "addButtonText": "Add field"}),
                );
            }
            if !field.is_empty() {
                ui.insert(name.clone(), Value::Object(field));
            }
        }
    }
    Value::Object(ui)
}

/// An example a text box can show while empty.
fn placeholder(prop: &Value) -> Option<&'static str> {
    if let Some(pattern) = prop.get("pattern").and_then(Value::as_str) {
        if pattern.contains("T\\d{2}") {
            return Some("2020-11-17T09:50:00");
        }
        if pattern.contains("( \\d{2}") {
            return Some("2020-09-25 00:00:00");
        }
    }
    None
}

/// Required fields first (in schema order), then the optional ones, then
/// the paging fields.
fn field_order(form: &Value) -> Vec<String> {
    let names: Vec<String> = form
        .get("properties")
        .and_then(Value::as_object)
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default();
    let required: Vec<&str> = form
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut order: Vec<String> = names
        .iter()
        .filter(|n| required.contains(&n.as_str()))
        .cloned()
        .collect();
    order.extend(
        names
            .iter()
            .filter(|n| !required.contains(&n.as_str()) && !PAGING_FIELDS.contains(&n.as_str()))
            .cloned(),
    );
    order.extend(
        PAGING_FIELDS
            .iter()
            .filter(|p| names.iter().any(|n| n == *p))
            .map(|p| (*p).to_owned()),
    );
    order
}

/// A JSON Forms layout for a form flavour: one control per field in the
/// uiSchema's order, the paging fields in an "Advanced" group.
pub fn jsonforms_ui(form: &Value) -> Value {
    let control = |name: &str| json!({"type": "Control", "scope": format!("#/properties/{name}")});
    // Free-form objects (custom fields) have no JSON Forms vanilla renderer;
    // they are left to the uiSchema-driven forms.
    let free_object = |name: &str| {
        let prop = &form["properties"][name];
        prop["type"] == "object" && prop.get("properties").is_none()
    };
    let order: Vec<String> = field_order(form)
        .into_iter()
        .filter(|n| !free_object(n))
        .collect();
    let mut elements: Vec<Value> = order
        .iter()
        .filter(|n| !PAGING_FIELDS.contains(&n.as_str()))
        .map(|n| control(n))
        .collect();
    let advanced: Vec<Value> = order
        .iter()
        .filter(|n| PAGING_FIELDS.contains(&n.as_str()))
        .map(|n| control(n))
        .collect();
    if !advanced.is_empty() {
        elements.push(json!({"type": "Group", "label": "Advanced", "elements": advanced}));
    }
    json!({"type": "VerticalLayout", "elements": elements})
}

/// The region hosts a connection form offers.
pub const REGION_HOSTS: [&str; 4] = [
    "public.api.learn.link",
    "public.api.mea.learn.tech",
    "public.api.learnstaging.link",
    "public.api.meastaging.learn.tech",
];

/// The connection form (draft-07): tenant, key, region, OAuth client and
/// scope. Hosts draw it once and keep its value apart from each step.
pub fn connection() -> Value {
    connection_with_hosts(&[])
}

/// The connection form with extra hosts the operator allows (e.g. a
/// sandbox) offered beside the four regions.
pub fn connection_with_hosts(extra: &[&str]) -> Value {
    let mut hosts: Vec<Value> = REGION_HOSTS
        .iter()
        .map(|h| json!({"const": h, "title": value_label(h)}))
        .collect();
    hosts.extend(
        extra
            .iter()
            .map(|h| json!({"const": h, "title": format!("Allowed by the operator ({h})")})),
    );
    let scopes: Vec<Value> = Connection::SCOPES
        .iter()
        .map(|s| json!({"const": s, "title": value_label(s)}))
        .collect();
    json!({
        "$schema": DRAFT_07,
        "title": "Thrive connection",
        "description": "Where your Thrive tenant is and how to sign in. Basic auth needs the tenant ID and API key; for OAuth 2.0 client credentials give the client ID too (the API key is then the client secret).",
        "type": "object",
        "properties": {
            "tenantId": {
                "title": "Tenant ID",
                "type": "string",
                "minLength": 1,
                "description": "Your Thrive tenant ID, e.g. eu-west-2_AbcdEfghI."
            },
            "apiKey": {
                "title": "API key",
                "type": "string",
                "minLength": 1,
                "writeOnly": true,
                "description": "The tenant's API key (with a client ID: the OAuth client secret). Stored by the host, never shown again."
            },
            "host": {
                "title": "Region",
                "type": "string",
                "default": REGION_HOSTS[0],
                "oneOf": hosts,
                "description": "The Thrive API host of your tenant's region."
            },
            "clientId": {
                "title": "OAuth client ID",
                "type": "string",
                "description": "Leave blank for Basic auth. With a client ID, calls use an OAuth 2.0 client-credentials token."
            },
            "scope": {
                "title": "OAuth scope",
                "type": "string",
                "oneOf": scopes,
                "description": "The scope to request with a client ID (default api/all)."
            }
        },
        "required": ["tenantId", "apiKey"],
        "dependencies": {"scope": ["clientId"]},
        "additionalProperties": false
    })
}

/// RJSF hints for the connection form: the key is a password box.
pub fn connection_ui() -> Value {
    json!({
        "ui:order": ["tenantId", "apiKey", "host", "clientId", "scope"],
        "apiKey": {"ui:widget": "password", "ui:options": {"autocomplete": "off"}},
        "tenantId": {"ui:placeholder": "eu-west-2_AbcdEfghI"}
    })
}

/// Keywords Gemini's function declarations accept (see `portable`).
const PORTABLE_KEYWORDS: [&str; 13] = [
    "type",
    "title",
    "description",
    "enum",
    "properties",
    "required",
    "items",
    "minItems",
    "maxItems",
    "minimum",
    "maximum",
    "minLength",
    "nullable",
];

/// The portable flavour, for AI hosts: the subset of JSON Schema that
/// Gemini's function declarations accept (and every other client does):
/// single types, plain `enum`s, no `$schema`, `additionalProperties`,
/// formats, patterns or custom keywords. What those would have said is
/// written into the descriptions instead, and JSON objects without named
/// properties are taken as JSON text.
pub fn portable(form: &Value) -> Value {
    let mut out = portable_schema(form, true);
    if let Value::Object(map) = &mut out {
        // The root is always an object, even for a tool without inputs.
        map.insert("type".into(), "object".into());
        map.entry("properties")
            .or_insert_with(|| Value::Object(Map::new()));
        map.remove("additionalProperties");
    }
    if let Value::Object(map) = &mut out {
        let rules = rules_text(form);
        if !rules.is_empty() {
            let d = map
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            map.insert("description".into(), format!("{d} {rules}").trim().into());
        }
    }
    out
}

/// `input`: JSON objects without named properties become JSON text (a
/// model cannot be given a free-form object); in outputs they stay objects.
fn portable_schema(schema: &Value, input: bool) -> Value {
    let Value::Object(src) = schema else {
        // `true` (any value) as a schema: Gemini needs an object with a type.
        return json!({"type": "string", "description": "Any JSON value, as Thrive sent it."});
    };
    let mut description = src
        .get("description")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let mut note = |text: String| {
        if !description.is_empty() && !description.ends_with('.') {
            description.push('.');
        }
        if !description.is_empty() {
            description.push(' ');
        }
        description.push_str(&text);
    };
    // (The root, which carries `$schema`, is the tool's parameters: never text.)
    let is_free_object = input
        && src.get("$schema").is_none()
        && src.get("type") == Some(&Value::from("object"))
        && src
            .get("properties")
            .is_none_or(|p| p.as_object().is_some_and(Map::is_empty));
    if is_free_object {
        note("Give a JSON object as text, e.g. {\"department\":\"Sales\"}.".into());
        let mut out = Map::new();
        out.insert("type".into(), "string".into());
        if let Some(t) = src.get("title") {
            out.insert("title".into(), t.clone());
        }
        out.insert("description".into(), description.into());
        return Value::Object(out);
    }
    match src.get("format").and_then(Value::as_str) {
        Some("date") => note("Format: YYYY-MM-DD.".into()),
        Some("date-time") => note("Format: ISO 8601 date-time, e.g. 2024-04-02T13:45:00Z.".into()),
        Some("email") => note("An email address.".into()),
        _ => {}
    }
    if let Some(p) = placeholder(schema) {
        note(format!("Format: as in {p}."));
    }
    let mut out = Map::new();
    for (key, value) in src {
        match key.as_str() {
            "oneOf" => {
                let values: Vec<Value> = value
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|o| o.get("const").cloned())
                    .collect();
                out.insert("type".into(), "string".into());
                out.insert("enum".into(), Value::Array(values));
            }
            "properties" => {
                let props: Map<String, Value> = value
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(k, v)| (k.clone(), portable_schema(v, input)))
                    .collect();
                out.insert(key.clone(), Value::Object(props));
            }
            "items" => {
                out.insert(key.clone(), portable_schema(value, input));
            }
            "type" => {
                // `["string", "null"]` becomes `string` + `nullable`.
                match value {
                    Value::Array(types) => {
                        let non_null: Vec<&Value> = types.iter().filter(|t| *t != "null").collect();
                        out.insert(
                            "type".into(),
                            non_null
                                .first()
                                .map(|t| (*t).clone())
                                .unwrap_or("string".into()),
                        );
                        if non_null.len() < types.len() {
                            out.insert("nullable".into(), true.into());
                        }
                    }
                    other => {
                        out.entry("type").or_insert_with(|| other.clone());
                    }
                }
            }
            "anyOf" => {
                // `anyOf: [X, {type: null}]` becomes X + `nullable`.
                let variants: Vec<&Value> = value
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|v| v.get("type") != Some(&Value::from("null")))
                    .collect();
                if let Some(Value::Object(first)) =
                    variants.first().map(|v| portable_schema(v, input))
                {
                    for (k, v) in first {
                        out.entry(k).or_insert(v);
                    }
                    out.insert("nullable".into(), true.into());
                }
            }
            "description" => {}
            k if PORTABLE_KEYWORDS.contains(&k) => {
                out.insert(key.clone(), value.clone());
            }
            _ => {}
        }
    }
    if !description.is_empty() {
        out.insert("description".into(), description.into());
    }
    if out.get("type").is_none() && out.get("properties").is_some() {
        out.insert("type".into(), "object".into());
    }
    if out.get("type").is_none() {
        // Any JSON value (passed through as Thrive sent it): Gemini needs a
        // type, and a string is what a model can read it as.
        out.insert("type".into(), "string".into());
        let d = out
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        out.insert(
            "description".into(),
            format!("{d} Any JSON value, as Thrive sent it.")
                .trim()
                .into(),
        );
    }
    Value::Object(out)
}

/// The cross-field rules of a form flavour, as sentences for a model.
fn rules_text(form: &Value) -> String {
    let mut out = Vec::new();
    for rule in form
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(text) = rule.get("description").and_then(Value::as_str) {
            out.push(text.to_owned());
        }
    }
    if let Some(deps) = form.get("dependencies").and_then(Value::as_object) {
        for (field, needs) in deps {
            let needs: Vec<&str> = needs
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            out.push(format!(
                "{field} may only be given with {}.",
                needs.join(", ")
            ));
        }
    }
    out.join(" ")
}

/// The strict flavour for OpenAI's strict function calling: every property
/// listed in `required`, the optional ones nullable (null means absent, as
/// for every host), `additionalProperties: false` on every object, and only
/// the keywords strict mode supports.
pub fn strict(form: &Value) -> Value {
    let portable = portable(form);
    strict_schema(&portable, true)
}

fn strict_schema(schema: &Value, required: bool) -> Value {
    let Value::Object(src) = schema else {
        return schema.clone();
    };
    let mut out = Map::new();
    for key in [
        "type",
        "title",
        "description",
        "enum",
        "minimum",
        "maximum",
        "minItems",
        "maxItems",
    ] {
        if let Some(v) = src.get(key) {
            out.insert(key.into(), v.clone());
        }
    }
    if let Some(items) = src.get("items") {
        out.insert("items".into(), strict_schema(items, true));
    }
    if let Some(Value::Object(props)) = src.get("properties") {
        let required_here: Vec<&str> = src
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let props: Map<String, Value> = props
            .iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    strict_schema(v, required_here.contains(&k.as_str())),
                )
            })
            .collect();
        let all: Vec<Value> = props.keys().map(|k| Value::from(k.as_str())).collect();
        out.insert("properties".into(), Value::Object(props));
        out.insert("required".into(), Value::Array(all));
        out.insert("additionalProperties".into(), false.into());
    }
    let nullable = !required || src.get("nullable") == Some(&Value::Bool(true));
    if nullable && let Some(Value::String(t)) = out.get("type").cloned() {
        out.insert("type".into(), json!([t, "null"]));
        if let Some(Value::Array(values)) = out.get_mut("enum") {
            values.push(Value::Null);
        }
    }
    Value::Object(out)
}

/// The output schema under the portable rules (no type arrays, no formats,
/// no `$schema`): for AI hosts that read output schemas.
pub fn portable_output(output: &Value) -> Value {
    portable_schema(output, false)
}
