//! Dropdown options: which list tool fills a field (its `x-options`), and
//! `GET`/`POST /tools/{id}/options/{field}`, which runs that tool with the
//! connection and cuts its items into searchable pages of options.

use crate::api::Context;
use crate::catalogue::{Catalogue, CatalogueTool};
use crate::error::{Error, ErrorCode};
use crate::host::server::refusal::Refusal;
use crate::params::Connection;
use axum::body::Bytes;
use axum::extract::Query;
use axum::extract::rejection::BytesRejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

/// The most options one dropdown page holds.
pub const OPTIONS_PER_PAGE: u64 = 50;
/// The most list items read to fill a dropdown (all its pages are cut
/// from them, after filtering on the search text).
pub const OPTIONS_SCAN_LIMIT: u64 = 1000;

/// The list tool a dropdown's options come from, and the item fields used
/// as each option's value and label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionsSource {
    /// The list tool's id.
    pub tool: String,
    /// The item field used as the value.
    pub value: String,
    /// The item field shown.
    pub label: String,
}

impl OptionsSource {
    fn from_hint(hint: &Value) -> Option<Self> {
        let text = |k: &str| hint.get(k).and_then(Value::as_str).map(str::to_owned);
        let tool = text("tool")?;
        let value = text("value")?;
        let label = text("label").unwrap_or_else(|| value.clone());
        Some(Self { tool, value, label })
    }
}

/// The dropdown source of `field` in `tool`'s manifest: the `x-options` hint
/// of the field in `inputSchema`, or under `ui:options` in `uiSchema` (on
/// the field or on its array items).
pub fn options_source(tool: &CatalogueTool, field: &str) -> Option<OptionsSource> {
    let manifest = tool.manifest();
    let in_schema = manifest
        .pointer(&format!("/inputSchema/properties/{}", escape(field)))
        .and_then(|p| p.get("x-options").or_else(|| p.pointer("/items/x-options")));
    let ui = manifest
        .pointer(&format!("/uiSchema/{}", escape(field)))
        .and_then(|u| {
            u.pointer("/ui:options/x-options")
                .or_else(|| u.pointer("/items/ui:options/x-options"))
        });
    in_schema.or(ui).and_then(OptionsSource::from_hint)
}

/// Escapes a name for use in a JSON pointer.
pub(super) fn escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

/// The query of `GET /tools/{id}/options/{field}`.
#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct OptionsQuery {
    #[serde(default)]
    q: Option<String>,
    #[serde(default)]
    page: Option<u64>,
}

/// The items of a list tool's output: its `results` array, the output
/// itself when it is an array, or the output's only array property.
pub fn list_items(output: &Value) -> &[Value] {
    if let Some(items) = output.get("results").and_then(Value::as_array) {
        return items;
    }
    if let Some(items) = output.as_array() {
        return items;
    }
    if let Some(map) = output.as_object() {
        let arrays: Vec<&Vec<Value>> = map.values().filter_map(Value::as_array).collect();
        if let [only] = arrays.as_slice() {
            return only;
        }
    }
    &[]
}

/// Shows a scalar item field as text (numbers as digits); `None` for
/// absent, null, arrays and objects.
pub(super) fn scalar_text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Maps list items to `{"value", "label"}` options, keeping those whose
/// value or label contains `q` (case-insensitively).
pub fn to_options(items: &[Value], source: &OptionsSource, q: &str) -> Vec<Value> {
    let needle = q.trim().to_lowercase();
    items
        .iter()
        .filter_map(|item| {
            let value = scalar_text(item.get(&source.value))?;
            let label = scalar_text(item.get(&source.label)).unwrap_or_else(|| value.clone());
            let keep = needle.is_empty()
                || value.to_lowercase().contains(&needle)
                || label.to_lowercase().contains(&needle);
            keep.then(|| json!({"value": value, "label": label}))
        })
        .collect()
}

/// Runs the field's list tool with the connection in `request` (or the
/// default one) and answers `{"options": [{"value", "label"}], "page",
/// "hasMore"}`: up to [`OPTIONS_SCAN_LIMIT`] items are read, those matching
/// `q` kept, and page `page` of [`OPTIONS_PER_PAGE`] answered.
pub async fn options(
    catalogue: &Catalogue,
    ctx: &Context,
    default_connection: Option<&Connection>,
    tool_id: &str,
    field: &str,
    mut request: Map<String, Value>,
) -> Result<Value, Error> {
    let tool = catalogue.get(tool_id)?;
    let source = options_source(tool, field).ok_or_else(|| {
        Error::new(
            ErrorCode::NotFound,
            format!("the field {field:?} of {tool_id} has no dropdown source"),
        )
    })?;
    let list = catalogue.get(&source.tool)?;
    let q = match request.remove("q") {
        Some(Value::String(s)) => s,
        None | Some(Value::Null) => String::new(),
        Some(_) => return Err(Error::field("/q", "q must be a string")),
    };
    let page = match request.remove("page") {
        None | Some(Value::Null) => 1,
        Some(v) => v
            .as_u64()
            .filter(|p| (1..=100_000).contains(p))
            .ok_or_else(|| Error::field("/page", "page must be an integer from 1 to 100000"))?,
    };
    if let Some(other) = request
        .keys()
        .find(|k| !Connection::FIELDS.contains(&k.as_str()))
    {
        return Err(Error::field(
            format!("/{}", escape(other)),
            format!("{other} is not accepted here; give q, page and the connection inputs"),
        ));
    }
    let mut request = request;
    if let Some(default) = default_connection {
        default.fill(&mut request);
    }
    let mut input = Value::Object(request);
    let takes = |name: &str| {
        list.input_schema()
            .pointer(&format!("/properties/{name}"))
            .is_some()
    };
    if let Value::Object(map) = &mut input {
        if takes("returnAll") {
            map.insert("returnAll".into(), true.into());
        }
        if takes("maxResults") {
            map.insert("maxResults".into(), OPTIONS_SCAN_LIMIT.into());
        }
    }
    let output = catalogue.execute(&source.tool, input, ctx).await?;
    let all = to_options(list_items(&output), &source, &q);
    let start = usize::try_from((page - 1) * OPTIONS_PER_PAGE).unwrap_or(usize::MAX);
    let shown: Vec<Value> = all
        .iter()
        .skip(start)
        .take(OPTIONS_PER_PAGE as usize)
        .cloned()
        .collect();
    let has_more = all.len() > start.saturating_add(shown.len());
    Ok(json!({
        "options": shown,
        "page": page,
        "hasMore": has_more,
    }))
}

/// `GET /tools/{id}/options/{field}?q=&page=` with the default connection.
pub(crate) async fn options_get(
    catalogue: &'static Catalogue,
    ctx: &Context,
    default_connection: Option<&Connection>,
    (id, field): (String, String),
    query: Option<Query<OptionsQuery>>,
) -> Response {
    let Some(Query(query)) = query else {
        return error_response(
            StatusCode::BAD_REQUEST,
            &Error::field("", "the query takes q (text) and page (a whole number)"),
        );
    };
    if default_connection.is_none() {
        return error_response(
            StatusCode::UNPROCESSABLE_ENTITY,
            &Error::field(
                "/tenantId",
                "this server has no default connection; POST the connection inputs with q and page",
            ),
        );
    }
    let mut request = Map::new();
    if let Some(q) = query.q {
        request.insert("q".into(), q.into());
    }
    if let Some(page) = query.page {
        request.insert("page".into(), page.into());
    }
    answer(options(catalogue, ctx, default_connection, &id, &field, request).await)
}

/// `POST /tools/{id}/options/{field}` with `{"q"?, "page"?, connection...}`.
pub(crate) async fn options_post(
    catalogue: &'static Catalogue,
    ctx: &Context,
    default_connection: Option<&Connection>,
    (id, field): (String, String),
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let request = match body
        .ok()
        .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
    {
        Some(Value::Object(map)) => map,
        _ => {
            return error_response(
                StatusCode::BAD_REQUEST,
                &Error::field("", "the request body must be a JSON object"),
            );
        }
    };
    answer(options(catalogue, ctx, default_connection, &id, &field, request).await)
}

pub(super) fn answer(result: Result<Value, Error>) -> Response {
    match result {
        Ok(v) => axum::Json(v).into_response(),
        // A field without a dropdown source: this server's own 404, not Thrive's.
        Err(e) if e.code() == ErrorCode::NotFound && e.status().is_none() => {
            error_response(StatusCode::NOT_FOUND, &e)
        }
        Err(e) => Refusal::failed(e).into_response(),
    }
}

/// `error` as the server's error JSON with `status`.
pub(super) fn error_response(status: StatusCode, error: &Error) -> Response {
    Refusal::failed_with_status(status, error.clone()).into_response()
}
