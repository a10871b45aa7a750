//! The command line's trigger parts: `thrive-blocks listen` and the
//! receiver and poller options of `thrive-blocks serve`.

use crate::error::{Error, ErrorCode};
use crate::triggers::{EventLog, Receiver, ReceiverConfig, SqliteStore, TriggerFilters};
use serde_json::Value;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// The environment variable naming the event store file.
pub const STORE_ENV: &str = "THRIVE_EVENTS_DB";
/// The environment variable listing accepted webhook tenants (comma-separated).
pub const TENANTS_ENV: &str = "THRIVE_WEBHOOK_TENANTS";

/// Options of `listen`.
#[derive(Debug, clap::Args)]
pub struct ListenArgs {
    /// The event store to read (the file `serve --store` writes).
    #[arg(long, env = STORE_ENV, default_value = "thrive-events.db")]
    store: PathBuf,
    /// Start after this cursor (default: after the consumer's last
    /// acknowledgement, or from the beginning).
    #[arg(long)]
    from: Option<u64>,
    /// A consumer name: each printed event is acknowledged under it, and a
    /// later `listen --consumer NAME` resumes after the last one.
    #[arg(long)]
    consumer: Option<String>,
    /// Only events of this trigger, e.g. thrive_on_content_completed.
    #[arg(long)]
    trigger: Option<String>,
    /// The trigger's filters as JSON, e.g. '{"contentIds":["64a1b2"]}'.
    #[arg(long, requires = "trigger")]
    filters: Option<String>,
    /// Exit after printing this many events.
    #[arg(long)]
    limit: Option<u64>,
    /// Exit when no event arrived for this many seconds (default: never).
    #[arg(long)]
    idle_exit: Option<f64>,
}

/// The trigger options of `serve`.
#[derive(Debug, clap::Args)]
pub struct ServeTriggerArgs {
    /// Receive Thrive's webhooks into this event store (SQLite) and serve
    /// POST /webhooks/thrive/{subscription} and GET /events. With --sandbox
    /// and no --store, a fresh temporary store is used.
    #[arg(long, env = STORE_ENV)]
    store: Option<PathBuf>,
    /// A tenant whose webhook events are accepted (repeatable; also
    /// THRIVE_WEBHOOK_TENANTS, comma-separated; default THRIVE_TENANT_ID).
    #[arg(long = "webhook-tenant")]
    tenants: Vec<String>,
    /// The same body received again within this many seconds is
    /// acknowledged and not delivered again.
    #[arg(long, default_value_t = 86_400)]
    dedup_window: u64,
    /// The largest webhook body accepted, in bytes.
    #[arg(long, default_value_t = 256 * 1024)]
    webhook_max_body: usize,
    /// Run a polling trigger: ID or ID=FILTERS_JSON, e.g.
    /// 'thrive_on_enrolment_status_changed={"assignmentId":"a1"}' (repeatable;
    /// the connection comes from THRIVE_TENANT_ID, THRIVE_API_KEY, ... or --sandbox).
    #[arg(long = "poll")]
    polls: Vec<String>,
    /// Seconds between polls.
    #[arg(long, default_value_t = 60.0)]
    poll_interval: f64,
    /// POST every event to this URL (e.g. a Node-RED or n8n webhook node),
    /// retried with backoff until answered 2xx (repeatable).
    #[arg(long = "forward")]
    forwards: Vec<String>,
}

impl ServeTriggerArgs {
    /// Whether the receiver is wanted (a store was given or the sandbox runs).
    pub fn enabled(&self, sandbox: bool) -> bool {
        self.store.is_some() || sandbox || !self.polls.is_empty() || !self.forwards.is_empty()
    }

    /// Opens the store and builds the receiver; `extra_tenant` is the
    /// sandbox's tenant, `secrets` secrets to use instead of the environment.
    pub fn receiver(
        &self,
        extra_tenant: Option<&str>,
        secret_for_all: Option<&str>,
    ) -> Result<(Receiver, PathBuf), Error> {
        let path = match &self.store {
            Some(p) => p.clone(),
            None => std::env::temp_dir().join(format!(
                "thrive-blocks-events-{}.db",
                uuid::Uuid::new_v4().simple()
            )),
        };
        let store = SqliteStore::open(&path).map_err(store_error)?;
        let log = EventLog::new(store).map_err(store_error)?;
        let mut tenants = self.tenants.clone();
        if let Ok(list) = std::env::var(TENANTS_ENV) {
            tenants.extend(
                list.split(',')
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .map(String::from),
            );
        }
        if tenants.is_empty()
            && let Ok(t) = std::env::var(crate::params::TENANT_ID_ENV)
            && !t.trim().is_empty()
        {
            tenants.push(t.trim().to_owned());
        }
        tenants.extend(extra_tenant.map(String::from));
        let mut config = ReceiverConfig {
            tenants,
            max_body_bytes: self.webhook_max_body,
            dedup_window: Duration::from_secs(self.dedup_window),
            ..ReceiverConfig::default()
        };
        config = match secret_for_all {
            Some(secret) => crate::triggers::Subscription::ALL
                .into_iter()
                .fold(config, |c, s| c.subscription(s, Some(secret))),
            None => config.all_subscriptions_from_env(),
        };
        if config.tenants.is_empty() {
            tracing::warn!(
                "no webhook tenant configured (--webhook-tenant, {TENANTS_ENV}): every webhook will be refused"
            );
        }
        for (sub, secret) in &config.subscriptions {
            if secret.is_none() {
                tracing::warn!(%sub, "no secret for {sub} ({}): unsigned events are accepted", sub.secret_env());
            }
        }
        Ok((
            Receiver::new(config, log, crate::Catalogue::global().webhook_routes()),
            path,
        ))
    }

    /// Starts every `--poll` trigger on `log` with `connection`.
    pub fn start_pollers(
        &self,
        log: &EventLog,
        ctx: &crate::api::Context,
        connection: Option<&crate::params::Connection>,
    ) -> Result<(), Error> {
        if !self.poll_interval.is_finite() || self.poll_interval <= 0.0 {
            return Err(Error::field(
                "",
                "--poll-interval must be a positive number of seconds",
            ));
        }
        for spec in &self.polls {
            let (id, filters) = match spec.split_once('=') {
                Some((id, json)) => (
                    id,
                    serde_json::from_str(json).map_err(|e| {
                        Error::field("", format!("--poll {id}: the filters are not JSON: {e}"))
                    })?,
                ),
                None => (spec.as_str(), Value::Null),
            };
            let trigger = crate::Catalogue::global().trigger(id)?;
            let filters = trigger.filters(&filters)?;
            let poller = crate::triggers::Poller::new(
                crate::triggers::PollSpec {
                    trigger: id.to_owned(),
                    connection: connection.cloned().ok_or_else(|| {
                        Error::field(
                            "",
                            "--poll needs a connection: set THRIVE_TENANT_ID and THRIVE_API_KEY, or use --sandbox",
                        )
                    })?,
                    filters,
                    interval: Duration::from_secs_f64(self.poll_interval),
                    start: None,
                },
                trigger.dyn_trigger(),
                ctx.clone(),
                log.clone(),
            )?;
            tokio::spawn(poller.run(std::future::pending()));
        }
        for url in &self.forwards {
            let forwarder = crate::triggers::Forwarder::new(url.clone());
            let log = log.clone();
            tokio::spawn(async move {
                if let Err(e) = forwarder.run(log).await {
                    tracing::error!(error = %e, "forwarding stopped");
                }
            });
        }
        Ok(())
    }
}

fn store_error(e: crate::triggers::StoreError) -> Error {
    Error::new(ErrorCode::Transport, e.to_string())
}

/// `listen`: prints one JSON event per line from the store.
pub async fn listen(args: ListenArgs) -> Result<ExitCode, Error> {
    let filter: Option<(String, TriggerFilters)> = match &args.trigger {
        Some(id) => {
            let trigger = crate::Catalogue::global().trigger(id)?;
            let filters = match &args.filters {
                Some(text) => serde_json::from_str(text)
                    .map_err(|e| Error::field("", format!("--filters is not valid JSON: {e}")))?,
                None => Value::Null,
            };
            Some((id.clone(), trigger.filters(&filters)?))
        }
        None => None,
    };
    let store = SqliteStore::open(&args.store).map_err(store_error)?;
    let log = EventLog::new(store).map_err(store_error)?;
    let consumer = args.consumer.clone().unwrap_or_else(|| "listen".to_owned());
    let mut stream = log
        .stream(
            &consumer,
            args.from.or(args.consumer.is_none().then_some(0)),
        )
        .await
        .map_err(store_error)?;
    let mut printed = 0u64;
    if args.limit == Some(0) {
        return Ok(ExitCode::SUCCESS);
    }
    loop {
        let next = match args.idle_exit {
            Some(secs) if secs.is_finite() && secs >= 0.0 => {
                match tokio::time::timeout(Duration::from_secs_f64(secs), stream.next()).await {
                    Ok(n) => n,
                    Err(_) => return Ok(ExitCode::SUCCESS),
                }
            }
            _ => stream.next().await,
        };
        let Some(delivery) = next.map_err(store_error)? else {
            return Ok(ExitCode::SUCCESS);
        };
        let wanted = filter.as_ref().is_none_or(|(id, f)| {
            delivery.event.trigger == *id
                && f.matches(&delivery.event.event_type, &delivery.payload())
        });
        if wanted {
            let mut out = std::io::stdout().lock();
            writeln!(out, "{}", delivery.to_json())
                .and_then(|()| out.flush())
                .map_err(|e| Error::new(ErrorCode::Transport, format!("standard output: {e}")))?;
            printed += 1;
        }
        if args.consumer.is_some() {
            stream.ack(&delivery).await.map_err(store_error)?;
        }
        if args.limit.is_some_and(|l| printed >= l) {
            return Ok(ExitCode::SUCCESS);
        }
    }
}

/// Points the embedded sandbox's webhooks (every subscription) at this
/// server's receiver at `addr`, signed with `secret`.
#[cfg(feature = "sandbox")]
pub fn wire_sandbox(sandbox: &thrive_sandbox::Sandbox, addr: std::net::SocketAddr, secret: &str) {
    let mut addr = addr;
    if addr.ip().is_unspecified() {
        addr.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
    }
    let mut config = thrive_sandbox::WebhookConfig::default();
    for sub in crate::triggers::Subscription::ALL {
        config = config.target(
            sub.key(),
            format!("http://{addr}/webhooks/thrive/{}", sub.key()),
            Some(secret),
        );
    }
    sandbox.state().set_webhooks(config);
}
