//! The block playground: a web page at `/ui` that draws every tool's form
//! from its manifest and runs it through the block server, plus the routes
//! the page needs besides the ones every host uses.
//!
//! ```text
//! GET  /                             a redirect to /ui
//! GET  /favicon.ico                  a redirect to the page's icon
//! GET  /ui, /ui/                     the page (no token needed: it holds nothing tenant-specific)
//! GET  /ui/assets/{file}             its script, style sheet and icon
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

use crate::error::{Error, ErrorCode};
use crate::host::server::refusal::Refusal;
use crate::params::Connection;
use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// The page, built from `ui/` (see the module documentation).
pub const INDEX_HTML: &str = include_str!("../../../../ui/dist/index.html");
/// The page's script bundle.
pub const APP_JS: &str = include_str!("../../../../ui/dist/assets/app.js");
/// The page's style sheet.
pub const APP_CSS: &str = include_str!("../../../../ui/dist/assets/app.css");
/// The page's icon (SVG).
pub const FAVICON_SVG: &str = include_str!("../../../../ui/dist/assets/favicon.svg");
/// The hash of the sources the embedded build was made from (see
/// `ui/build.mjs`; a test recomputes it).
pub const SOURCE_HASH: &str = include_str!("../../../../ui/dist/SOURCE_HASH");

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

/// `GET /ui/assets/{file}`: the script, the style sheet or the icon, else 404.
pub(crate) async fn assets(Path(file): Path<String>) -> Response {
    match file.as_str() {
        "app.js" => asset(APP_JS, "text/javascript; charset=utf-8"),
        "app.css" => asset(APP_CSS, "text/css; charset=utf-8"),
        "favicon.svg" => asset(FAVICON_SVG, "image/svg+xml"),
        _ => Refusal::failed_with_status(
            StatusCode::NOT_FOUND,
            Error::new(ErrorCode::NotFound, "no such playground asset"),
        )
        .into_response(),
    }
}

/// A temporary redirect (303 for GET: the target may change between
/// versions, so nothing is cached for good).
fn redirect(to: &'static str) -> Response {
    axum::response::Redirect::to(to).into_response()
}

/// The routes of the page that need no token: `/` and `/favicon.ico`
/// (redirects, so a browser opening the server's address lands on the
/// playground and finds its icon without a 404), `/ui` and its assets.
pub(crate) fn page_routes<S: Clone + Send + Sync + 'static>() -> axum::Router<S> {
    use axum::routing::get;
    axum::Router::new()
        .route("/", get(|| async { redirect("/ui") }))
        .route(
            "/favicon.ico",
            get(|| async { redirect("/ui/assets/favicon.svg") }),
        )
        .route("/ui", get(index))
        .route("/ui/", get(index))
        .route("/ui/assets/{file}", get(assets))
}

/// What `GET /playground/config` answers: whether the server has a default
/// connection and, if so, its tenant id (never its key).
pub fn config_json(default_connection: Option<&Connection>) -> Value {
    match default_connection {
        Some(c) => json!({"defaultConnection": true, "tenantId": c.tenant_id}),
        None => json!({"defaultConnection": false}),
    }
}

/// Fills the whole default connection into `input` when `input` gives no
/// connection input at all ([`Connection::fill`]). A request that gives any
/// connection input keeps its own connection as it is: the default's key
/// is never combined with a tenant or host the request chose.
pub fn apply_default_connection(input: &mut Value, default: Option<&Connection>) {
    if let (Some(default), Value::Object(map)) = (default, input) {
        default.fill(map);
    }
}

mod dropdowns;

pub use dropdowns::{
    OPTIONS_PER_PAGE, OPTIONS_SCAN_LIMIT, OptionsSource, list_items, options, options_source,
    to_options,
};
pub(crate) use dropdowns::{OptionsQuery, options_get, options_post};

#[cfg(test)]
mod tests {
    use super::dropdowns::{OptionsSource, list_items, to_options};
    use super::{apply_default_connection, config_json};
    use crate::params::Connection;
    use serde_json::json;

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
