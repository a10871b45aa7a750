//! The durable event store: one trait, [`EventStore`], with an embedded
//! SQLite default, [`SqliteStore`].
//!
//! Every event gets a cursor: a monotonically increasing integer. A store
//! must make an append durable before it returns (the receiver answers 2xx
//! only after), deduplicate on the body hash within a window atomically
//! with the append, and keep per-consumer acknowledgements and named
//! cursors (the polling triggers' positions) in the same durable place.
//!
//! Another backend (e.g. Postgres) implements the same six methods: an
//! `events` table with a `BIGSERIAL` cursor and an index on
//! `(body_sha256, received_at)`, the dedup check and insert in one
//! `SERIALIZABLE` transaction (or `INSERT ... WHERE NOT EXISTS` under an
//! advisory lock on the hash), and `acks`/`cursors` tables keyed by name.

use rusqlite::{Connection, OptionalExtension, params};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// A failure of the store. Messages never contain event bodies.
#[derive(Debug, thiserror::Error)]
#[error("event store: {0}")]
pub struct StoreError(String);

impl StoreError {
    /// A store error with `message`.
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        Self(e.to_string())
    }
}

/// An event to append.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEvent {
    /// Where it came from: a subscription key (`completion_subscription`)
    /// or a polling trigger's id.
    pub source: String,
    /// The trigger it is delivered as (`thrive_on_content_completed`).
    pub trigger: String,
    /// The event type (`content.completed`).
    pub event_type: String,
    /// The tenant.
    pub tenant_id: String,
    /// SHA-256 of the body, the deduplication key.
    pub body_sha256: [u8; 32],
    /// When it was received, in milliseconds since the Unix epoch.
    pub received_at_ms: i64,
    /// The body exactly as received (UTF-8 JSON).
    pub body: String,
}

/// What an append did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Appended {
    /// Stored with this cursor.
    Stored(u64),
    /// The same body was stored within the window, under this cursor; nothing new stored.
    Duplicate(u64),
}

impl Appended {
    /// The cursor of the stored (or earlier) event.
    pub fn cursor(self) -> u64 {
        match self {
            Self::Stored(c) | Self::Duplicate(c) => c,
        }
    }
}

/// An event as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredEvent {
    /// Its position in the log: strictly increasing.
    pub cursor: u64,
    /// See [`NewEvent::source`].
    pub source: String,
    /// See [`NewEvent::trigger`].
    pub trigger: String,
    /// See [`NewEvent::event_type`].
    pub event_type: String,
    /// See [`NewEvent::tenant_id`].
    pub tenant_id: String,
    /// See [`NewEvent::received_at_ms`].
    pub received_at_ms: i64,
    /// See [`NewEvent::body`].
    pub body: String,
}

/// A durable, ordered event log with deduplication, acknowledgements and
/// named cursors. Calls block; async hosts call them from a blocking task.
pub trait EventStore: Send + Sync + 'static {
    /// Appends `event` unless an event with the same body hash was received
    /// within `dedup_window_ms` before it; durable when it returns.
    fn append(&self, event: &NewEvent, dedup_window_ms: i64) -> Result<Appended, StoreError>;
    /// Appends `events` and sets the named cursor `cursor_name` to
    /// `cursor_value` in one transaction (a polling trigger's batch), so a
    /// crash repeats or skips nothing. Returns the new events' cursors.
    fn append_polled(
        &self,
        events: &[NewEvent],
        cursor_name: &str,
        cursor_value: &str,
    ) -> Result<Vec<u64>, StoreError>;
    /// Up to `limit` events with a cursor greater than `after`, in order.
    fn read_after(&self, after: u64, limit: usize) -> Result<Vec<StoredEvent>, StoreError>;
    /// The highest cursor stored (0 when empty).
    fn last_cursor(&self) -> Result<u64, StoreError>;
    /// Records that `consumer` has processed every event up to `cursor`
    /// (never moves backwards).
    fn ack(&self, consumer: &str, cursor: u64) -> Result<(), StoreError>;
    /// The last cursor `consumer` acknowledged (0 when none).
    fn acked(&self, consumer: &str) -> Result<u64, StoreError>;
    /// A named cursor's value (a polling trigger's position).
    fn cursor(&self, name: &str) -> Result<Option<String>, StoreError>;
}

/// The embedded default: SQLite in WAL mode with `synchronous=FULL`, so a
/// commit is on disk before [`EventStore::append`] returns. Other processes
/// may read the same file (e.g. `thrive-blocks listen --store FILE`).
pub struct SqliteStore {
    path: PathBuf,
    conn: Mutex<Connection>,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.path)
            .finish()
    }
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS events (
    cursor INTEGER PRIMARY KEY AUTOINCREMENT,
    source TEXT NOT NULL,
    trigger_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    tenant_id TEXT NOT NULL,
    body_sha256 BLOB NOT NULL,
    received_at INTEGER NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_by_hash ON events (body_sha256, received_at);
CREATE TABLE IF NOT EXISTS acks (consumer TEXT PRIMARY KEY, cursor INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS cursors (name TEXT PRIMARY KEY, value TEXT NOT NULL);
";

impl SqliteStore {
    /// Opens (creating if needed) the store at `path`.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        let path = path.as_ref().to_path_buf();
        let conn = Connection::open(&path)
            .map_err(|e| StoreError::new(format!("cannot open {}: {e}", path.display())))?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.execute_batch(SCHEMA)?;
        Ok(Self {
            path,
            conn: Mutex::new(conn),
        })
    }

    /// Opens the store read-only-in-spirit for a reader process (same file,
    /// same schema; creates it if absent so a reader can start first).
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn insert(tx: &rusqlite::Transaction<'_>, e: &NewEvent) -> Result<u64, StoreError> {
    tx.execute(
        "INSERT INTO events (source, trigger_id, event_type, tenant_id, body_sha256, received_at, body)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            e.source,
            e.trigger,
            e.event_type,
            e.tenant_id,
            &e.body_sha256[..],
            e.received_at_ms,
            e.body
        ],
    )?;
    u64::try_from(tx.last_insert_rowid()).map_err(|_| StoreError::new("negative cursor"))
}

impl EventStore for SqliteStore {
    fn append(&self, event: &NewEvent, dedup_window_ms: i64) -> Result<Appended, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let earlier: Option<i64> = tx
            .query_row(
                "SELECT cursor FROM events WHERE body_sha256 = ?1 AND received_at >= ?2
                 ORDER BY cursor LIMIT 1",
                params![
                    &event.body_sha256[..],
                    event.received_at_ms.saturating_sub(dedup_window_ms)
                ],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(cursor) = earlier {
            tx.commit()?;
            return Ok(Appended::Duplicate(cursor.max(0) as u64));
        }
        let cursor = insert(&tx, event)?;
        tx.commit()?;
        Ok(Appended::Stored(cursor))
    }

    fn append_polled(
        &self,
        events: &[NewEvent],
        cursor_name: &str,
        cursor_value: &str,
    ) -> Result<Vec<u64>, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut cursors = Vec::with_capacity(events.len());
        for e in events {
            cursors.push(insert(&tx, e)?);
        }
        tx.execute(
            "INSERT INTO cursors (name, value) VALUES (?1, ?2)
             ON CONFLICT(name) DO UPDATE SET value = excluded.value",
            params![cursor_name, cursor_value],
        )?;
        tx.commit()?;
        Ok(cursors)
    }

    fn read_after(&self, after: u64, limit: usize) -> Result<Vec<StoredEvent>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT cursor, source, trigger_id, event_type, tenant_id, received_at, body
             FROM events WHERE cursor > ?1 ORDER BY cursor LIMIT ?2",
        )?;
        let rows = stmt.query_map(
            params![
                i64::try_from(after).unwrap_or(i64::MAX),
                i64::try_from(limit).unwrap_or(i64::MAX)
            ],
            |r| {
                Ok(StoredEvent {
                    cursor: r.get::<_, i64>(0)?.max(0) as u64,
                    source: r.get(1)?,
                    trigger: r.get(2)?,
                    event_type: r.get(3)?,
                    tenant_id: r.get(4)?,
                    received_at_ms: r.get(5)?,
                    body: r.get(6)?,
                })
            },
        )?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    fn last_cursor(&self) -> Result<u64, StoreError> {
        let conn = self.conn();
        let last: Option<i64> =
            conn.query_row("SELECT MAX(cursor) FROM events", [], |r| r.get(0))?;
        Ok(last.unwrap_or(0).max(0) as u64)
    }

    fn ack(&self, consumer: &str, cursor: u64) -> Result<(), StoreError> {
        self.conn().execute(
            "INSERT INTO acks (consumer, cursor) VALUES (?1, ?2)
             ON CONFLICT(consumer) DO UPDATE SET cursor = MAX(cursor, excluded.cursor)",
            params![consumer, i64::try_from(cursor).unwrap_or(i64::MAX)],
        )?;
        Ok(())
    }

    fn acked(&self, consumer: &str) -> Result<u64, StoreError> {
        let acked: Option<i64> = self
            .conn()
            .query_row(
                "SELECT cursor FROM acks WHERE consumer = ?1",
                params![consumer],
                |r| r.get(0),
            )
            .optional()?;
        Ok(acked.unwrap_or(0).max(0) as u64)
    }

    fn cursor(&self, name: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn()
            .query_row(
                "SELECT value FROM cursors WHERE name = ?1",
                params![name],
                |r| r.get(0),
            )
            .optional()?)
    }
}
