//! The demo's trigger step: the sandbox signs and POSTs a
//! `content.completed` webhook to a receiver on loopback (the block
//! server's own `/webhooks/thrive/{subscription}` route), which verifies the
//! signature and stores the event before it answers 2xx; the demo then reads
//! it from the event log, as a workflow waiting on
//! `thrive_on_content_completed` would.

use crate::error::{Error, ErrorCode};
use crate::triggers::{
    DeliveredEvent, EventLog, EventStream, Receiver, ReceiverConfig, SqliteStore, StoreError,
    Subscription,
};
use std::path::PathBuf;
use std::time::Duration;
use thrive_sandbox::{Sandbox, WebhookConfig};

/// A receiver for the sandbox's completion webhooks, with the stream a
/// workflow reads them from. The store is a temporary file, removed by
/// [`DemoReceiver::close`].
pub(crate) struct DemoReceiver {
    store_path: PathBuf,
    server: tokio::task::JoinHandle<()>,
    stream: EventStream,
}

fn store_error(e: StoreError) -> Error {
    Error::new(ErrorCode::Transport, format!("demo event store: {e}"))
}

fn io_error(e: std::io::Error) -> Error {
    Error::new(ErrorCode::Transport, format!("demo receiver: {e}"))
}

impl DemoReceiver {
    /// Starts the receiver and points the sandbox's completion webhooks at
    /// it, signed with a secret made for this run.
    pub(crate) async fn start(sandbox: &Sandbox, tenant: &str) -> Result<Self, Error> {
        let store_path = std::env::temp_dir().join(format!(
            "thrive-blocks-demo-{}.db",
            uuid::Uuid::new_v4().simple()
        ));
        let log = EventLog::new(SqliteStore::open(&store_path).map_err(store_error)?)
            .map_err(store_error)?;
        let secret = uuid::Uuid::new_v4().simple().to_string();
        let receiver = Receiver::new(
            ReceiverConfig::for_tenant(tenant)
                .subscription(Subscription::Completion, Some(&secret)),
            log.clone(),
            crate::Catalogue::global().webhook_routes(),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(io_error)?;
        let addr = listener.local_addr().map_err(io_error)?;
        let app: axum::Router = crate::host::events::webhooks::receiver_routes(receiver);
        let server = tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, app).await {
                tracing::error!(error = %e, "demo receiver stopped");
            }
        });
        let subscription = Subscription::Completion.key();
        sandbox
            .state()
            .set_webhooks(WebhookConfig::default().target(
                subscription,
                format!("http://{addr}/webhooks/thrive/{subscription}"),
                Some(&secret),
            ));
        let stream = log.stream("demo", Some(0)).await.map_err(store_error)?;
        Ok(Self {
            store_path,
            server,
            stream,
        })
    }

    /// The next stored event, acknowledged, or an error naming what did not
    /// arrive within `wait`.
    pub(crate) async fn next_event(&mut self, wait: Duration) -> Result<DeliveredEvent, Error> {
        let next = tokio::time::timeout(wait, self.stream.next())
            .await
            .map_err(|_| {
                Error::new(
                    ErrorCode::Timeout,
                    format!(
                        "no webhook reached the receiver within {} s",
                        wait.as_secs()
                    ),
                )
            })?
            .map_err(store_error)?;
        let delivery =
            next.ok_or_else(|| Error::new(ErrorCode::Transport, "the demo event log closed"))?;
        self.stream.ack(&delivery).await.map_err(store_error)?;
        Ok(delivery)
    }

    /// Stops the receiver and removes its store (and SQLite's WAL files).
    pub(crate) fn close(self) {
        self.server.abort();
        drop(self.stream);
        for suffix in ["", "-wal", "-shm"] {
            let mut path = self.store_path.clone().into_os_string();
            path.push(suffix);
            // Best effort: a leftover file in the temp dir harms nothing.
            let _ = std::fs::remove_file(path);
        }
    }
}
