//! The catalogue of every registered tool, and what it does with an id and an
//! input: validate, dry-run, execute, page.

use super::collect;
use super::entry::{BlockEntry, Kind};
use super::tool::{CatalogueTool, Runner};
use super::trigger::CatalogueTrigger;
use crate::api::{ApiRequest, Context, Prepared, exchange};
use crate::call::DynTool;
use crate::error::{Error, ErrorCode, Result};
use crate::triggers::{DynTrigger, TriggerSource, WebhookRoutes};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// Every registered block: the tools (and composites) and the triggers, in
/// id order. Build it once and share it.
pub struct Catalogue {
    pub(super) tools: BTreeMap<&'static str, CatalogueTool>,
    triggers: BTreeMap<&'static str, CatalogueTrigger>,
}

impl Catalogue {
    /// Builds the catalogue from every block registered with `inventory`
    /// ([`BlockEntry`]), read once into two maps by id.
    pub fn new() -> Self {
        let mut tools = BTreeMap::new();
        let mut triggers: Vec<&'static dyn DynTrigger> = Vec::new();
        // Only each block's static facts are read here; schemas, flavours
        // and validators are made on first use (see [`CatalogueTool`]).
        for entry in inventory::iter::<BlockEntry> {
            let runner = match entry.kind {
                Kind::Tool(tool) => Runner::Tool(tool),
                Kind::Composite(composite) => Runner::Composite(composite),
                Kind::Trigger(trigger) => {
                    triggers.push(trigger);
                    continue;
                }
            };
            let tool = CatalogueTool::new(runner, entry.resource());
            tools.insert(tool.meta().id, tool);
        }
        // A polling trigger is handed the tool it polls, so its form can
        // show that tool's connection inputs and its payload that tool's items.
        let triggers = triggers
            .into_iter()
            .map(|trigger| {
                let meta = trigger.trigger_meta();
                let polled = match meta.source {
                    TriggerSource::Polling { tool, .. } => {
                        tools.get(tool).and_then(CatalogueTool::dyn_tool)
                    }
                    TriggerSource::Webhook { .. } => None,
                };
                (meta.id, CatalogueTrigger::new(trigger, polled))
            })
            .collect();
        Self { tools, triggers }
    }

    /// The process-wide catalogue, built on first use.
    pub fn global() -> &'static Catalogue {
        static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
        CATALOGUE.get_or_init(Catalogue::new)
    }

    /// Every tool, in id order.
    pub fn tools(&self) -> impl Iterator<Item = &CatalogueTool> {
        self.tools.values()
    }

    /// The number of tools.
    pub fn len(&self) -> usize {
        self.tools.len()
    }

    /// Whether the catalogue is empty.
    pub fn is_empty(&self) -> bool {
        self.tools.is_empty()
    }

    /// The tool with `id`, or `unknown_tool`.
    pub fn get(&self, id: &str) -> Result<&CatalogueTool> {
        self.tools.get(id).ok_or_else(|| {
            Error::new(
                ErrorCode::UnknownTool,
                format!(
                    "no tool has the id {id:?}{}; `thrive-blocks list` shows them all",
                    crate::suggest::did_you_mean(id, self.tools.keys().copied())
                ),
            )
        })
    }

    /// Validates `input` for tool `id` without sending anything. Every
    /// problem is reported at once in the error's violations.
    pub fn validate(&self, id: &str, input: Value) -> Result<()> {
        self.get(id)?.prepare(input).map(|_| ())
    }

    /// Validates `input` and returns the HTTP request that would be sent.
    pub fn dry_run(&self, id: &str, input: Value, ctx: &Context) -> Result<DryRun> {
        let prepared = self.get(id)?.prepare(input)?;
        let origin = ctx.hosts().resolve_for(
            prepared.connection.host.as_deref(),
            prepared.request.version,
        )?;
        Ok(DryRun {
            url: format!("{}{}", origin.base_url(), prepared.request.path_and_query()),
            auth: if prepared.connection.client_id.is_some() {
                "Bearer ***"
            } else {
                "Basic ***"
            },
            request: prepared.request,
        })
    }

    /// Validates `input`, calls Thrive and returns the tool's output JSON.
    pub async fn execute(&self, id: &str, input: Value, ctx: &Context) -> Result<Value> {
        match self.start(id, input, ctx).await? {
            Step::Done(output) => Ok(output),
            // The typed path: the params were read once by `prepare`; the
            // output is serialised once.
            Step::Single(tool, prepared) => tool.send(ctx, &prepared).await,
        }
    }

    /// [`Catalogue::execute`], giving the output as JSON text: a single
    /// call's typed output is written straight to text, without building a
    /// `Value` first. For hosts that print or send the output (the batch
    /// mode, a server).
    pub async fn execute_text(&self, id: &str, input: Value, ctx: &Context) -> Result<String> {
        match self.start(id, input, ctx).await? {
            Step::Done(output) => Ok(output.to_string()),
            Step::Single(tool, prepared) => tool.send_text(ctx, &prepared).await,
        }
    }

    /// Checks `input` and runs what is not a single call (a composite, the
    /// pages of a `returnAll` step); a single call is handed back, prepared,
    /// for the caller to send in the output form it wants.
    async fn start(&self, id: &str, input: Value, ctx: &Context) -> Result<Step> {
        let tool = self.get(id)?;
        match tool.runner {
            Runner::Composite(composite) => {
                let (input, prepared) = tool.checked(input)?;
                let output = composite.execute(ctx, &prepared.connection, &input).await?;
                Ok(Step::Done(output))
            }
            Runner::Tool(dyn_tool) => {
                let prepared = tool.prepare(input)?;
                if prepared.returns_all() {
                    let all = Self::all_pages(tool, dyn_tool, &prepared, ctx).await?;
                    return Ok(Step::Done(all));
                }
                Ok(Step::Single(dyn_tool, prepared))
            }
        }
    }

    /// Every page of a `returnAll` step, in the tool's output shape: read
    /// page by page by the tool's reader where its output has a list the
    /// catalogue knows, else merged by the runtime and read once.
    async fn all_pages(
        tool: &CatalogueTool,
        dyn_tool: &'static dyn DynTool,
        prepared: &Prepared,
        ctx: &Context,
    ) -> Result<Value> {
        let started = std::time::Instant::now();
        match collect::all_pages(ctx, prepared, tool).await {
            Some(all) => all.or_else(|e| {
                let meta = exchange::failure_meta(ctx, prepared, &e, started);
                dyn_tool.recover(e, &meta)
            }),
            None => dyn_tool.send(ctx, prepared).await,
        }
    }

    /// Validates `input` for a paginated tool and returns a [`Pager`] that
    /// yields its items page by page without holding them all. Nothing is
    /// sent until the first [`Pager::next_page`].
    ///
    /// [`Pager`]: crate::api::Pager
    /// [`Pager::next_page`]: crate::api::Pager::next_page
    pub fn pager(&self, id: &str, input: Value, ctx: &Context) -> Result<crate::api::Pager> {
        let prepared = self.get(id)?.prepare(input)?;
        crate::api::Pager::new(ctx, prepared)
    }

    /// Every trigger, in id order (see [`crate::triggers`]).
    pub fn triggers(&self) -> impl Iterator<Item = &CatalogueTrigger> {
        self.triggers.values()
    }

    /// The trigger with `id`, or `unknown_tool`.
    pub fn trigger(&self, id: &str) -> Result<&CatalogueTrigger> {
        self.triggers.get(id).ok_or_else(|| {
            Error::new(
                ErrorCode::UnknownTool,
                format!(
                    "no trigger has the id {id:?}{}; `thrive-blocks list --triggers` shows them all",
                    crate::suggest::did_you_mean(id, self.triggers.keys().copied())
                ),
            )
        })
    }

    /// The webhook triggers a [`Receiver`](crate::triggers::Receiver) files
    /// events under.
    pub fn webhook_routes(&self) -> WebhookRoutes {
        WebhookRoutes::new(self.triggers.values().map(CatalogueTrigger::dyn_trigger))
    }

    /// Every trigger's manifest, keyed by id (the index from
    /// [`Catalogue::manifests`] lists them under `triggers`).
    pub fn trigger_manifests(&self) -> Vec<(&'static str, Value)> {
        self.triggers()
            .map(|t| (t.meta().id, t.manifest()))
            .collect()
    }

    /// Every tool's manifest, keyed by id, plus the index (which also lists
    /// the triggers).
    pub fn manifests(&self) -> (Value, Vec<(&'static str, Value)>) {
        let mut index = json!({
            "name": "thrive-blocks",
            "version": env!("CARGO_PKG_VERSION"),
            "tools": self.tools().map(|t| json!({
                "id": t.meta().id,
                "title": t.meta().title,
                "description": t.meta().description,
                "version": t.meta().version,
                "file": format!("{}.json", t.meta().id),
            })).collect::<Vec<_>>(),
        });
        let files = self.tools().map(|t| (t.meta().id, t.manifest())).collect();
        index["triggers"] = self
            .triggers()
            .map(|t| {
                let m = t.meta();
                json!({"id": m.id, "title": m.title, "description": m.description,
                       "version": m.version, "file": format!("{}.json", m.id)})
            })
            .collect();
        (index, files)
    }
}

impl Default for Catalogue {
    fn default() -> Self {
        Self::new()
    }
}

/// A checked step: already run to its output, or one call left to send.
// Only ever a local on the way from `start` to its caller: boxing the larger
// variant would cost an allocation per call on the hot path for nothing.
#[allow(clippy::large_enum_variant)]
enum Step {
    /// A composite or a `returnAll` step, run.
    Done(Value),
    /// One call of a tool, prepared.
    Single(&'static dyn DynTool, Prepared),
}

/// What `--dry-run` shows: the request that would be sent, credentials masked.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DryRun {
    /// The full URL including the query.
    pub url: String,
    /// The masked Authorization header.
    pub auth: &'static str,
    /// The request description.
    pub request: ApiRequest,
}

impl DryRun {
    /// The dry run as JSON: method, url, headers (masked) and body.
    pub fn to_json(&self) -> Value {
        json!({
            "method": self.request.method,
            "url": self.url,
            "headers": {
                "Authorization": self.auth,
                "Accept": "application/json",
                "Content-Type": "application/json",
            },
            "body": self.request.body,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flavours::Flavour;

    #[test]
    fn a_catalogue_builds_only_what_is_asked_for() {
        let catalogue = Catalogue::new();
        // Listing reads the static facts only.
        let ids: Vec<&str> = catalogue.tools().map(|t| t.meta().id).collect();
        assert!(ids.len() > 40, "{ids:?}");
        assert!(catalogue.tools().all(|t| t.built() == [false; 4]));

        // Checking one tool's input builds its input schema and validator,
        // and nothing of any other tool.
        let input = serde_json::json!({"tenantId": "t", "apiKey": "k", "ref": "R1"});
        assert!(catalogue.validate("thrive_get_user_by_ref", input).is_ok());
        for tool in catalogue.tools() {
            let expected = if tool.meta().id == "thrive_get_user_by_ref" {
                [true, false, false, true]
            } else {
                [false; 4]
            };
            assert_eq!(tool.built(), expected, "{}", tool.meta().id);
        }

        // A manifest needs every flavour; what was built is kept.
        let tool = catalogue.get("thrive_get_tag").expect("registered");
        let first = tool.manifest();
        assert_eq!(tool.built(), [true, true, true, false]);
        assert_eq!(tool.manifest(), first);
    }

    #[test]
    fn a_composite_is_found_through_the_map() {
        let catalogue = Catalogue::new();
        let composites: Vec<&str> = catalogue
            .tools()
            .filter(|t| t.dyn_tool().is_none())
            .map(|t| t.meta().id)
            .collect();
        assert_eq!(composites, ["thrive_sync_audience_members"]);
    }

    #[test]
    fn a_trigger_builds_its_schemas_on_first_use_only() {
        let catalogue = Catalogue::new();
        let fresh: Vec<&CatalogueTrigger> = catalogue.triggers().collect();
        assert!(fresh.len() >= 9);
        assert!(fresh.iter().all(|t| t.built() == (false, false)));
        let polled = catalogue
            .trigger("thrive_on_completion_recorded")
            .expect("registered");
        let input = polled.schema(Flavour::Input).expect("input");
        // The polling trigger's input has the polled tool's connection.
        assert!(input["properties"]["tenantId"].is_object(), "{input}");
        assert_eq!(polled.built(), (true, false));
        let others = fresh.iter().filter(|t| t.meta().id != polled.meta().id);
        assert!(others.clone().all(|t| t.built() == (false, false)));
        let other = Catalogue::new();
        let again = other.trigger(polled.meta().id).expect("registered");
        assert_eq!(polled.manifest(), again.manifest());
    }
}
