//! The block playground: a web page at `/ui` that draws every tool's form
//! from its manifest and runs it through the block server, plus the routes
//! the page needs besides the ones every host uses.
//!
//! ```text
//! GET  /ui, /ui/                     the page (no token needed: it holds nothing tenant-specific)
//! GET  /ui/assets/{file}             its script and style sheet
//! GET  /playground/config            {"defaultConnection": bool, "tenantId"?: "..."}; never the key
//! GET  /tools/{id}/options/{field}   ?q=&page= options of a dropdown, with the default connection
//! POST /tools/{id}/options/{field}   body {"q"?, "page"?, connection...}: the same with the body's connection
//! ```
//!
//! The page's script and style sheet are built from `ui/` with npm and
//! committed in `ui/dist/`; they are embedded in the binary, so serving them
//! needs no Node. `ui/dist/SOURCE_HASH` records the sources they were built
//! from, and a test fails when the sources changed without a rebuild.
//!
//! **Dropdown options.** A field whose schema carries an `x-options` hint
//! (`{"tool", "value", "label"}`, in the tool's input schema or in its RJSF
//! `uiSchema` under `ui:options`) gets its options by running the named list
//! tool with the caller's connection (or the server's default connection)
//! and mapping each item to `{"value", "label"}`. The connection travels in
//! a POST body or comes from the server, never in a URL.

use crate::api::Context;
use crate::catalogue::{Catalogue, CatalogueTool};
use crate::error::{Error, ErrorCode};
use crate::host::http::status_for;
use crate::params::Connection;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, Query};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

/// The page, built from `ui/` (see the module documentation).
pub const INDEX_HTML: &str = include_str!("../../ui/dist/index.html");
/// The page's script bundle.
pub const APP_JS: &str = include_str!("../../ui/dist/assets/app.js");
/// The page's style sheet.
pub const APP_CSS: &str = include_str!("../../ui/dist/assets/app.css");
/// The hash of the sources the embedded build was made from (see
/// `ui/build.mjs`; a test recomputes it).
pub const SOURCE_HASH: &str = include_str!("../../ui/dist/SOURCE_HASH");

/// The most options one dropdown page holds.
pub const OPTIONS_PER_PAGE: u64 = 50;
/// The most list items read to fill a dropdown (all its pages are cut
/// from them, after filtering on the search text).
pub const OPTIONS_SCAN_LIMIT: u64 = 1000;

/// The security headers of the page and its assets: same-origin scripts
/// and requests only, never framed. Ajv (the form validator) compiles
/// schemas to functions, hence `'unsafe-eval'`.
const CSP: &str = "default-src 'none'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; \
                   img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; \
                   frame-ancestors 'none'";

/// Answers an embedded asset with its content type.
fn asset(body: &'static str, content_type: &'static str) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

/// `GET /ui`: the page.
pub(crate) async fn index() -> Response {
    asset(INDEX_HTML, "text/html; charset=utf-8")
}

/// `GET /ui/assets/{file}`: the script or the style sheet, else 404.
pub(crate) async fn assets(Path(file): Path<String>) -> Response {
    match file.as_str() {
        "app.js" => asset(APP_JS, "text/javascript; charset=utf-8"),
        "app.css" => asset(APP_CSS, "text/css; charset=utf-8"),
        _ => error_response(
            StatusCode::NOT_FOUND,
            &Error::new(ErrorCode::NotFound, "no such playground asset"),
        ),
    }
}

/// What `GET /playground/config` answers: whether the server has a default
/// connection and, if so, its tenant id (never its key).
pub fn config_json(default_connection: Option<&Connection>) -> Value {
    match default_connection {
        Some(c) => json!({"defaultConnection": true, "tenantId": c.tenant_id}),
        None => json!({"defaultConnection": false}),
    }
}

/// Whether `input` names any connection input (non-blank).
fn has_connection(input: &Map<String, Value>) -> bool {
    Connection::FIELDS.iter().any(|f| {
        input
            .get(*f)
            .is_some_and(|v| !v.is_null() && v.as_str().is_none_or(|s| !s.trim().is_empty()))
    })
}

/// Fills the whole default connection into `input` when `input` gives no
/// connection input at all. A request that gives any connection input
/// keeps its own connection as it is: the default's key is never combined
/// with a tenant or host the request chose.
pub fn apply_default_connection(input: &mut Value, default: Option<&Connection>) {
    let (Some(default), Value::Object(map)) = (default, input) else {
        return;
    };
    if has_connection(map) {
        return;
    }
    for field in Connection::FIELDS {
        map.remove(field);
    }
    map.insert("tenantId".into(), default.tenant_id.clone().into());
    map.insert("apiKey".into(), default.api_key.expose().into());
    if let Some(host) = &default.host {
        map.insert("host".into(), host.clone().into());
    }
    if let Some(client_id) = &default.client_id {
        map.insert("clientId".into(), client_id.clone().into());
    }
    if let Some(scope) = &default.scope {
        map.insert("scope".into(), scope.clone().into());
    }
}

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
fn escape(name: &str) -> String {
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
fn scalar_text(v: Option<&Value>) -> Option<String> {
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
    let mut input = Value::Object(request);
    apply_default_connection(&mut input, default_connection);
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

fn answer(result: Result<Value, Error>) -> Response {
    match result {
        Ok(v) => axum::Json(v).into_response(),
        // A field without a dropdown source: this server's own 404, not Thrive's.
        Err(e) if e.code() == ErrorCode::NotFound && e.status().is_none() => {
            error_response(StatusCode::NOT_FOUND, &e)
        }
        Err(e) => error_response(status_for(e.code()), &e),
    }
}

/// `error` as the server's error JSON with `status`.
fn error_response(status: StatusCode, error: &Error) -> Response {
    (status, axum::Json(error.to_json())).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source() -> OptionsSource {
        OptionsSource {
            tool: "thrive_list_audiences".into(),
            value: "id".into(),
            label: "name".into(),
        }
    }

    #[test]
    fn items_come_from_results_a_bare_array_or_the_only_array() {
        let one = json!([{"id": "a"}]);
        assert_eq!(
            list_items(&json!({"results": [{"id": "a"}], "pagination": {}})),
            one.as_array().unwrap().as_slice()
        );
        assert_eq!(list_items(&one).len(), 1);
        assert_eq!(
            list_items(&json!({"assignments": [{"id": "a"}], "n": 1})).len(),
            1
        );
        assert!(list_items(&json!({"a": [], "b": []})).is_empty());
    }

    #[test]
    fn options_filter_on_value_or_label_and_fall_back_to_the_value() {
        let items = json!([
            {"id": "a1", "name": "Sales"},
            {"id": "b2", "name": "Support"},
            {"id": 7},
            {"name": "no id"}
        ]);
        let items = items.as_array().unwrap();
        assert_eq!(
            to_options(items, &source(), ""),
            vec![
                json!({"value": "a1", "label": "Sales"}),
                json!({"value": "b2", "label": "Support"}),
                json!({"value": "7", "label": "7"}),
            ]
        );
        assert_eq!(
            to_options(items, &source(), "sUp"),
            vec![json!({"value": "b2", "label": "Support"})]
        );
        assert_eq!(
            to_options(items, &source(), "a1"),
            vec![json!({"value": "a1", "label": "Sales"})]
        );
    }

    #[test]
    fn the_default_connection_fills_only_requests_without_one() {
        let default = Connection::basic("t-default", "k-default").with_host("http://127.0.0.1:9");
        let mut bare = json!({"audienceId": "a"});
        apply_default_connection(&mut bare, Some(&default));
        assert_eq!(
            bare,
            json!({"audienceId": "a", "tenantId": "t-default", "apiKey": "k-default", "host": "http://127.0.0.1:9"})
        );
        let mut own = json!({"tenantId": "mine", "audienceId": "a"});
        apply_default_connection(&mut own, Some(&default));
        assert_eq!(own, json!({"tenantId": "mine", "audienceId": "a"}));
        let mut host_only = json!({"host": "public.api.learn.link"});
        apply_default_connection(&mut host_only, Some(&default));
        assert_eq!(host_only, json!({"host": "public.api.learn.link"}));
        let mut blank = json!({"tenantId": " ", "apiKey": null});
        apply_default_connection(&mut blank, Some(&default));
        assert_eq!(blank["tenantId"], "t-default");
        assert_eq!(blank["apiKey"], "k-default");
    }

    #[test]
    fn config_never_holds_the_key() {
        let default = Connection::basic("t-1", "secret-key");
        let text = config_json(Some(&default)).to_string();
        assert!(!text.contains("secret-key"), "{text}");
        assert_eq!(
            config_json(Some(&default)),
            json!({"defaultConnection": true, "tenantId": "t-1"})
        );
        assert_eq!(config_json(None), json!({"defaultConnection": false}));
    }
}
