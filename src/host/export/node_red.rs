//! `thrive-blocks export node-red`: the Node-RED palette
//! (`integrations/node-red`, npm package `node-red-contrib-thrive-blocks`)
//! generated from the catalogue's manifests.
//!
//! The generator writes only the per-resource parts, never by hand:
//!
//! - `nodes/catalogue.json`: what the runtime needs (each resource's
//!   operations with their form fields, hints and dropdown sources; the
//!   triggers with their source and filters; the connection's regions);
//! - `nodes/thrive-blocks.html`: the editor side, one node type
//!   `thrive-<resource>` per manifest `resource` (its template, its help and
//!   its `registerType` call with the operations embedded), the trigger node
//!   and the config node.
//!
//! The hand-written code stays beside them and is left in place: the runtime
//! (`nodes/thrive-blocks.js`, `lib/`), the shared editor code
//! (`resources/editor.js`), `package.json`, examples and tests.
//! `--check` fails when the generated files differ from the catalogue.

use crate::catalogue::Catalogue;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The npm package name of the palette (also the path under which Node-RED
/// serves its `resources/` folder to the editor).
pub const PACKAGE: &str = "node-red-contrib-thrive-blocks";

/// The default folder the palette is written to, from the repository root.
pub const DEFAULT_OUT: &str = "integrations/node-red";

/// The Node-RED node type of a manifest `resource`: `thrive-<resource>`.
pub fn node_type(resource: &str) -> String {
    format!("thrive-{resource}")
}

/// The palette label of a resource: "Thrive users", "Thrive CPD".
fn label(resource: &str) -> String {
    match resource {
        "cpd" => "Thrive CPD".to_owned(),
        other => format!("Thrive {}", other.replace('_', " ")),
    }
}

/// One operation of a resource node, as the runtime and the editor read it.
fn operation(manifest: &Value) -> Value {
    let paginated = manifest
        .pointer("/hints/paginated")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    json!({
        "id": manifest["id"],
        "title": manifest["title"],
        "description": manifest["description"],
        "hints": manifest["hints"],
        "paginated": paginated,
        "form": manifest["formSchema"],
        "ui": manifest["uiSchema"],
    })
}

/// The generated files: `(path relative to the package, contents)`, in a
/// fixed order so a re-run writes the same bytes.
pub fn files(catalogue: &Catalogue) -> Vec<(PathBuf, String)> {
    let mut resources: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    let mut connection = Value::Null;
    for tool in catalogue.tools() {
        let manifest = tool.manifest();
        let resource = manifest["resource"].as_str().unwrap_or("other").to_owned();
        if connection.is_null() {
            connection = manifest["connectionSchema"].clone();
        }
        resources
            .entry(resource)
            .or_default()
            .push(operation(&manifest));
    }
    let resources: Vec<Value> = resources
        .into_iter()
        .map(|(resource, tools)| {
            json!({
                "type": node_type(&resource),
                "resource": resource,
                "label": label(&resource),
                "tools": tools,
            })
        })
        .collect();
    let triggers: Vec<Value> = catalogue
        .triggers()
        .map(|t| {
            let m = t.manifest();
            json!({
                "id": m["id"],
                "title": m["title"],
                "description": m["description"],
                "source": m["source"],
                "eventTypes": m["eventTypes"],
                "form": m["formSchema"],
                "ui": m["uiSchema"],
            })
        })
        .collect();
    let regions: Vec<Value> = connection
        .pointer("/properties/host/oneOf")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let catalogue_json = json!({
        "generatedBy": "thrive-blocks export node-red (do not edit by hand)",
        "version": env!("CARGO_PKG_VERSION"),
        "regions": regions,
        "resources": resources,
        "triggers": triggers,
    });
    vec![
        (
            PathBuf::from("nodes/catalogue.json"),
            pretty(&catalogue_json),
        ),
        (
            PathBuf::from("nodes/thrive-blocks.html"),
            html(&resources, &triggers, &regions),
        ),
    ]
}

fn pretty(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

/// JSON safe to embed in an HTML `<script>`: `<`, `>` and `&` escaped so
/// no text in a description can close the script element.
fn script_json(value: &Value) -> String {
    value
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// Text escaped for HTML content.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn str_of<'a>(value: &'a Value, key: &str) -> &'a str {
    value.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// The editor file: the shared editor code, then one node type per resource,
/// the trigger node and the config node.
fn html(resources: &[Value], triggers: &[Value], regions: &[Value]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<!-- Generated by `thrive-blocks export node-red` from the catalogue; do not edit by hand. -->"
    );
    let _ = writeln!(
        out,
        "<script type=\"text/javascript\" src=\"resources/{PACKAGE}/editor.js\"></script>"
    );
    let _ = writeln!(
        out,
        "<script type=\"text/javascript\">ThriveBlocksEditor.registerConfig(RED, {});</script>",
        script_json(&Value::Array(regions.to_vec()))
    );
    let _ = writeln!(out, "{}", config_template());
    for resource in resources {
        let ty = str_of(resource, "type");
        let mut data = Map::new();
        data.insert("label".into(), resource["label"].clone());
        data.insert("tools".into(), resource["tools"].clone());
        let _ = writeln!(
            out,
            "<script type=\"text/javascript\">ThriveBlocksEditor.registerTool(RED, {}, {});</script>",
            script_json(&json!(ty)),
            script_json(&Value::Object(data))
        );
        let _ = writeln!(out, "{}", tool_template(ty));
        let _ = writeln!(out, "{}", tool_help(resource));
    }
    let _ = writeln!(
        out,
        "<script type=\"text/javascript\">ThriveBlocksEditor.registerTrigger(RED, {});</script>",
        script_json(&Value::Array(triggers.to_vec()))
    );
    let _ = writeln!(out, "{}", trigger_template());
    let _ = writeln!(out, "{}", trigger_help(triggers));
    out
}

fn config_template() -> String {
    "<script type=\"text/html\" data-template-name=\"thrive-config\">\n\
     <div class=\"form-row\"><label for=\"node-config-input-name\"><i class=\"fa fa-tag\"></i> Name</label><input type=\"text\" id=\"node-config-input-name\"></div>\n\
     <div class=\"form-row\"><label for=\"node-config-input-mode\">Block server</label><select id=\"node-config-input-mode\"><option value=\"managed\">Managed: Node-RED runs thrive-blocks serve</option><option value=\"external\">External: a shared thrive-blocks serve</option><option value=\"sandbox\">Demo sandbox (no tenant needed)</option></select></div>\n\
     <div class=\"form-row thrive-mode-external\"><label for=\"node-config-input-url\">Server URL</label><input type=\"text\" id=\"node-config-input-url\" placeholder=\"http://127.0.0.1:8787\"></div>\n\
     <div class=\"form-row thrive-mode-external\"><label for=\"node-config-input-token\">Server token</label><input type=\"password\" id=\"node-config-input-token\" autocomplete=\"off\"></div>\n\
     <div class=\"form-row thrive-mode-managed\"><label for=\"node-config-input-bin\">Binary</label><input type=\"text\" id=\"node-config-input-bin\" placeholder=\"THRIVE_BLOCKS_BIN, then PATH\"></div>\n\
     <div class=\"form-row thrive-conn\"><label for=\"node-config-input-tenantId\">Tenant ID</label><input type=\"text\" id=\"node-config-input-tenantId\" placeholder=\"eu-west-2_AbcdEfghI\"></div>\n\
     <div class=\"form-row thrive-conn\"><label for=\"node-config-input-apiKey\">API key</label><input type=\"password\" id=\"node-config-input-apiKey\" autocomplete=\"off\"></div>\n\
     <div class=\"form-row thrive-conn\"><label for=\"node-config-input-hostChoice\">Region</label><select id=\"node-config-input-hostChoice\"></select></div>\n\
     <div class=\"form-row thrive-conn thrive-custom-host\"><label for=\"node-config-input-host\">Custom host</label><input type=\"text\" id=\"node-config-input-host\" placeholder=\"https://… (must be allowed by THRIVE_ALLOWED_HOSTS)\"></div>\n\
     <div class=\"form-row thrive-conn\"><label for=\"node-config-input-clientId\">OAuth client ID</label><input type=\"text\" id=\"node-config-input-clientId\" placeholder=\"blank for Basic auth\"></div>\n\
     <div class=\"form-row thrive-conn\"><label for=\"node-config-input-scope\">OAuth scope</label><input type=\"text\" id=\"node-config-input-scope\" placeholder=\"api/all\"></div>\n\
     <div class=\"form-row thrive-mode-managed\"><label for=\"node-config-input-webhookSecret\">Webhook secret</label><input type=\"password\" id=\"node-config-input-webhookSecret\" autocomplete=\"off\" placeholder=\"the secret Thrive signs webhooks with\"></div>\n\
     <div class=\"form-row\"><label></label><button type=\"button\" class=\"red-ui-button\" id=\"thrive-test-connection\">Test connection</button> <span id=\"thrive-test-result\"></span></div>\n\
     <div class=\"form-tips thrive-mode-managed\" id=\"thrive-webhook-url\"></div>\n\
     </script>"
        .to_owned()
}

fn tool_template(ty: &str) -> String {
    format!(
        "<script type=\"text/html\" data-template-name=\"{ty}\">\n\
         <div class=\"form-row\"><label for=\"node-input-name\"><i class=\"fa fa-tag\"></i> Name</label><input type=\"text\" id=\"node-input-name\"></div>\n\
         <div class=\"form-row\"><label for=\"node-input-server\"><i class=\"fa fa-plug\"></i> Connection</label><input type=\"text\" id=\"node-input-server\"></div>\n\
         <div class=\"form-row\"><label for=\"node-input-operation\"><i class=\"fa fa-cog\"></i> Operation</label><select id=\"node-input-operation\" style=\"width:70%\"></select></div>\n\
         <div class=\"form-tips thrive-operation-help\"></div>\n\
         <div class=\"thrive-fields\"></div>\n\
         <div class=\"form-row thrive-paged\"><label for=\"node-input-outputMode\">Output</label><select id=\"node-input-outputMode\"><option value=\"one\">One message</option><option value=\"each\">One message per item</option></select></div>\n\
         </script>"
    )
}

fn tool_help(resource: &Value) -> String {
    let mut out = format!(
        "<script type=\"text/html\" data-help-name=\"{}\">\n<p>{}: every operation of this resource, one per node (pick it under <i>Operation</i>).</p>\n",
        str_of(resource, "type"),
        escape(str_of(resource, "label"))
    );
    out.push_str(
        "<h3>Inputs</h3><dl class=\"message-properties\"><dt class=\"optional\">payload <span class=\"property-type\">object</span></dt>\
         <dd>the operation's inputs by name; a field set on the node wins.</dd></dl>\n\
         <h3>Outputs</h3><dl class=\"message-properties\"><dt>payload <span class=\"property-type\">object</span></dt><dd>the tool's output.</dd>\
         <dt>thrive <span class=\"property-type\">object</span></dt><dd><code>{tool, partial, attempts, pages}</code>; on a partial success (HTTP 207) <code>partial</code> is true and <code>failed</code> lists the items Thrive did not take.</dd></dl>\n\
         <h3>Errors</h3><p>A failed call goes to a Catch node; <code>msg.thrive.error</code> is the tool's error object (<code>code</code>, <code>message</code>, <code>status</code>, <code>retryable</code>, <code>delivery</code>).</p>\n\
         <h3>Operations</h3><dl>\n",
    );
    close_entries(&mut out, resource["tools"].as_array().into_iter().flatten());
    out
}

/// Writes one help entry (title, id, description) per tool or trigger, then
/// closes the help's list and script.
fn close_entries<'a>(out: &mut String, entries: impl IntoIterator<Item = &'a Value>) {
    for entry in entries {
        let _ = writeln!(
            out,
            "<dt>{} <code>{}</code></dt><dd>{}</dd>",
            escape(str_of(entry, "title")),
            escape(str_of(entry, "id")),
            escape(str_of(entry, "description"))
        );
    }
    out.push_str("</dl>\n</script>");
}

fn trigger_template() -> String {
    "<script type=\"text/html\" data-template-name=\"thrive-trigger\">\n\
     <div class=\"form-row\"><label for=\"node-input-name\"><i class=\"fa fa-tag\"></i> Name</label><input type=\"text\" id=\"node-input-name\"></div>\n\
     <div class=\"form-row\"><label for=\"node-input-server\"><i class=\"fa fa-plug\"></i> Connection</label><input type=\"text\" id=\"node-input-server\"></div>\n\
     <div class=\"form-row\"><label for=\"node-input-trigger\"><i class=\"fa fa-bolt\"></i> Trigger</label><select id=\"node-input-trigger\" style=\"width:70%\"></select></div>\n\
     <div class=\"form-tips thrive-operation-help\"></div>\n\
     <div class=\"thrive-fields\"></div>\n\
     <div class=\"form-row thrive-polling\"><label for=\"node-input-interval\">Every (s)</label><input type=\"number\" min=\"1\" id=\"node-input-interval\"></div>\n\
     </script>"
        .to_owned()
}

fn trigger_help(triggers: &[Value]) -> String {
    let mut out = String::from(
        "<script type=\"text/html\" data-help-name=\"thrive-trigger\">\n<p>Starts a flow for each Thrive event: webhooks received, verified and deduplicated by the block server, or changes found by polling. Each event is sent once and acknowledged after the flow received it, so a restart neither loses nor repeats one.</p>\n\
         <h3>Outputs</h3><dl class=\"message-properties\"><dt>payload <span class=\"property-type\">object</span></dt><dd>the event's typed payload.</dd>\
         <dt>thrive <span class=\"property-type\">object</span></dt><dd><code>{trigger, eventType, cursor, receivedAt, tenantId}</code></dd></dl>\n<h3>Triggers</h3><dl>\n",
    );
    close_entries(&mut out, triggers);
    out
}

/// What `export node-red` did: the files written, or the stale ones found.
#[derive(Debug)]
pub enum Outcome {
    /// The files were written (their count).
    Written(usize),
    /// `--check`: every generated file matches.
    Fresh,
    /// `--check`: these files are missing or differ.
    Stale(Vec<PathBuf>),
}

/// Writes the generated files under `out`, or with `check` compares them.
///
/// # Errors
/// A file or folder that could not be written, named with its path.
pub fn export(catalogue: &Catalogue, out: &Path, check: bool) -> Result<Outcome, crate::Error> {
    let wanted = files(catalogue);
    if check {
        let stale: Vec<PathBuf> = wanted
            .iter()
            .map(|(rel, text)| (out.join(rel), text))
            .filter(|(path, text)| {
                std::fs::read_to_string(path).ok().as_deref() != Some(text.as_str())
            })
            .map(|(path, _)| path)
            .collect();
        return Ok(if stale.is_empty() {
            Outcome::Fresh
        } else {
            Outcome::Stale(stale)
        });
    }
    for (rel, text) in &wanted {
        let path = out.join(rel);
        let io = |e: std::io::Error| {
            crate::Error::new(
                crate::ErrorCode::Transport,
                format!("could not write {}: {e}", path.display()),
            )
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        std::fs::write(&path, text).map_err(io)?;
    }
    Ok(Outcome::Written(wanted.len()))
}

#[cfg(test)]
mod tests {
    use super::{files, script_json};
    use crate::catalogue::Catalogue;
    use serde_json::{Value, json};

    #[test]
    fn one_node_type_per_resource_and_every_tool_in_one() {
        let catalogue = Catalogue::global();
        let generated = files(catalogue);
        let runtime: Value = serde_json::from_str(&generated[0].1).expect("catalogue.json");
        let resources = runtime["resources"].as_array().expect("resources");
        let tools: usize = resources
            .iter()
            .map(|r| r["tools"].as_array().map_or(0, Vec::len))
            .sum();
        assert_eq!(tools, catalogue.len());
        let html = &generated[1].1;
        for r in resources {
            let ty = r["type"].as_str().expect("type");
            assert!(
                html.contains(&format!("data-template-name=\"{ty}\"")),
                "{ty}"
            );
            assert!(html.contains(&format!("data-help-name=\"{ty}\"")), "{ty}");
        }
        assert_eq!(
            runtime["triggers"].as_array().map(Vec::len),
            Some(catalogue.triggers().count())
        );
    }

    #[test]
    fn embedded_json_cannot_close_the_script_element() {
        assert_eq!(
            script_json(&json!("</script><b>&")),
            "\"\\u003c/script\\u003e\\u003cb\\u003e\\u0026\""
        );
    }
}
