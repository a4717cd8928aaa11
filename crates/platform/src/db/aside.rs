//! A few connections kept aside from the pool for the one short read every
//! authenticated request makes (is the session alive, the account open).
//!
//! sqlx's pool pings each connection as it comes back, because it cannot
//! know whether the caller's last query ran to its end: a hop to SQLite's
//! worker thread and back, a round trip to PostgreSQL, on every request and
//! as costly as the check itself. Here the caller says so: a connection goes
//! back only through [`AsideConnection::keep`], called once its query has
//! answered. One dropped without it (an error, a cancelled request) is
//! closed, so no one is handed a connection left mid-answer.

use std::ops::{Deref, DerefMut};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sqlx::any::AnyConnectOptions;
use sqlx::{AnyConnection, ConnectOptions, Connection};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::{ping_due, prepare, Dialect};

/// How many connections are kept aside: one check takes tens of
/// microseconds, so two answer tens of thousands of requests a second.
pub(super) const ASIDE: usize = 2;

pub(super) struct Aside {
    options: AnyConnectOptions,
    dialect: Dialect,
    ping_idle_after: Duration,
    acquire_timeout: Duration,
    turns: Arc<Semaphore>,
    idle: Mutex<Vec<(AnyConnection, Instant)>>,
}

impl std::fmt::Debug for Aside {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Aside").field("free", &self.turns.available_permits()).finish_non_exhaustive()
    }
}

/// One of the kept-aside connections, lent until dropped.
pub struct AsideConnection {
    conn: Option<AnyConnection>,
    home: Arc<Aside>,
    kept: bool,
    _turn: OwnedSemaphorePermit,
}

impl Aside {
    pub(super) fn new(
        options: AnyConnectOptions,
        dialect: Dialect,
        ping_idle_after: Duration,
        acquire_timeout: Duration,
    ) -> Self {
        Self {
            options,
            dialect,
            ping_idle_after,
            acquire_timeout,
            turns: Arc::new(Semaphore::new(ASIDE)),
            idle: Mutex::new(Vec::with_capacity(ASIDE)),
        }
    }

    /// A connection: an idle one (pinged first when the pool would ping
    /// it), else a new one.
    pub(super) async fn acquire(self: &Arc<Self>) -> Result<AsideConnection, sqlx::Error> {
        let turn = tokio::time::timeout(self.acquire_timeout, self.turns.clone().acquire_owned())
            .await
            .map_err(|_| sqlx::Error::PoolTimedOut)?
            .map_err(|_| sqlx::Error::PoolClosed)?;
        let idle = self.idle.lock().expect("the idle list is never poisoned").pop();
        let conn = match idle {
            Some((mut conn, since)) => {
                if ping_due(self.dialect, since.elapsed(), self.ping_idle_after) && conn.ping().await.is_err() {
                    self.connect().await?
                } else {
                    conn
                }
            }
            None => self.connect().await?,
        };
        Ok(AsideConnection { conn: Some(conn), home: self.clone(), kept: false, _turn: turn })
    }

    async fn connect(&self) -> Result<AnyConnection, sqlx::Error> {
        let mut conn = self.options.connect().await?;
        prepare(&mut conn, self.dialect).await?;
        Ok(conn)
    }

    pub(super) async fn close(&self) {
        let idle: Vec<_> = self.idle.lock().expect("the idle list is never poisoned").drain(..).collect();
        for (conn, _) in idle {
            let _ = conn.close().await;
        }
    }
}

impl AsideConnection {
    /// The query has answered in full: the connection goes back for the
    /// next request as it is.
    pub fn keep(mut self) {
        self.kept = true;
    }
}

impl Drop for AsideConnection {
    fn drop(&mut self) {
        let Some(conn) = self.conn.take() else { return };
        if self.kept {
            self.home.idle.lock().expect("the idle list is never poisoned").push((conn, Instant::now()));
        } else if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            // Closed politely where there is a runtime; dropped, its socket or file shuts anyway.
            runtime.spawn(async move {
                let _ = conn.close().await;
            });
        }
    }
}

impl Deref for AsideConnection {
    type Target = AnyConnection;

    fn deref(&self) -> &AnyConnection {
        self.conn.as_ref().expect("a lent connection is present until dropped")
    }
}

impl DerefMut for AsideConnection {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        self.conn.as_mut().expect("a lent connection is present until dropped")
    }
}
