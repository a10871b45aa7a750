//! The catalogue of every registered tool, and what it does with an id and an
//! input: validate, dry-run, execute, page.

use super::*;

/// All registered tools, in id order. Build it once and share it.
pub struct Catalogue {
    pub(super) tools: BTreeMap<&'static str, CatalogueTool>,
}

impl Catalogue {
    /// Builds the catalogue from every tool registered with `inventory`.
    pub fn new() -> Self {
        let mut tools = BTreeMap::new();
        // Only each tool's static facts are read here; schemas, flavours
        // and validators are made on first use (see [`CatalogueTool`]).
        for entry in inventory::iter::<ToolEntry> {
            let tool = CatalogueTool::new(entry.0, entry.resource(), None);
            tools.insert(tool.meta.id, tool);
        }
        // Composite tools (several calls of other tools) are described and
        // validated like any tool; `execute` routes them to their runner.
        for entry in inventory::iter::<crate::catalogue::composite::CompositeEntry> {
            let tool = CatalogueTool::new(entry.tool, entry.resource(), Some(entry.composite));
            tools.insert(tool.meta.id, tool);
        }
        Self { tools }
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
        let tool = self.get(id)?;
        if let Some(composite) = tool.composite {
            return composite.execute(self, input, ctx).await;
        }
        let prepared = tool.prepare(input)?;
        let started = std::time::Instant::now();
        if prepared.returns_all()
            && let Some(all) = super::collect::all_pages(ctx, &prepared, tool).await
        {
            return all.or_else(|e| {
                let meta = exchange::failure_meta(ctx, &prepared, &e, started);
                tool.tool.recover(e, &meta)
            });
        }
        match exchange::run_raw(ctx, &prepared).await {
            Ok(exchange::Answer::Raw(raw)) => tool.output_raw(raw),
            Ok(exchange::Answer::Parsed(response)) => tool.output(response),
            Err(e) => {
                let meta = exchange::failure_meta(ctx, &prepared, &e, started);
                tool.tool.recover(e, &meta)
            }
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
    pub fn triggers(&self) -> impl Iterator<Item = &'static crate::triggers::CatalogueTrigger> {
        crate::triggers::all()
    }

    /// The trigger with `id`, or `unknown_tool`.
    pub fn trigger(&self, id: &str) -> Result<&'static crate::triggers::CatalogueTrigger> {
        crate::triggers::find(id)
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
                "id": t.meta.id,
                "title": t.meta.title,
                "description": t.meta.description,
                "version": t.meta.version,
                "file": format!("{}.json", t.meta.id),
            })).collect::<Vec<_>>(),
        });
        let files = self.tools().map(|t| (t.meta.id, t.manifest())).collect();
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

/// The top-level input field a pointer is in: `/users/3` is `users`.
pub(super) fn field_of(pointer: &str) -> String {
    pointer.split('/').nth(1).unwrap_or_default().to_owned()
}

/// A valid value of a property's type, used only to let checks of other
/// fields run; it is never sent.
pub(super) fn placeholder(prop: &Value) -> Value {
    if let Some(first) = prop
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|e| e.first())
    {
        return first.clone();
    }
    match prop.get("type").and_then(Value::as_str) {
        Some("number" | "integer") => prop.get("minimum").cloned().unwrap_or_else(|| 1.into()),
        Some("boolean") => false.into(),
        _ => "".into(),
    }
}
