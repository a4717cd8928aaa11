//! Live boards: a socket subscribed to `competition:<id>` hears of every
//! change of that board within a second, on any replica. Each change raises
//! the competition's `board_version` in the transaction that made it; every
//! replica looks a few times a second for boards changed since it last
//! looked and, for those its own sockets watch, pushes the new top of the
//! board once. A surge of results thus costs one message per board per
//! look, however many rows changed, and nothing depends on a message
//! between replicas arriving.

use std::collections::HashMap;
use std::time::Duration;

use futures::future::BoxFuture;
use platform::db::now_ms;
use platform::http::Caller;
use platform::realtime::TopicGuard;
use tokio_util::sync::CancellationToken;

use crate::{competitions, Competitions};

pub const TOPIC: &str = "competition";
pub const CHANGED: &str = "BoardChanged";
const LOOK_EVERY: Duration = Duration::from_millis(250);
/// How far back each look reaches past the last one, in ms. A change is
/// stamped when it is made and seen when its transaction commits, which on a
/// loaded database can be seconds later; replicas' clocks may differ too.
/// Looking back costs a few rows per look: `seen` skips what was pushed.
const LOOK_BACK_MS: i64 = 30_000;
/// How many places a live message carries.
const TOP: u32 = 20;

/// Who may watch a board: whoever may see the competition.
pub struct Guard(pub Competitions);

impl TopicGuard for Guard {
    fn may_listen<'a>(&'a self, caller: &'a Caller, id: &'a str) -> BoxFuture<'a, Result<(), String>> {
        Box::pin(async move {
            let mut conn = self.0.platform.db.read().await.map_err(|e| e.to_string())?;
            match self.0.visible(&mut conn, caller, id, None).await {
                Ok(_) => Ok(()),
                Err(_) => Err("no such competition, or it is invite-only and you have not entered".into()),
            }
        })
    }
}

pub async fn run(this: Competitions, shutdown: CancellationToken) {
    let mut seen: HashMap<String, i64> = HashMap::new();
    let mut since = now_ms();
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tokio::time::sleep(LOOK_EVERY) => {}
        }
        let looked_at = now_ms();
        match this.push_changed(since - LOOK_BACK_MS, &mut seen).await {
            Ok(()) => since = looked_at,
            Err(e) => tracing::warn!(error = %e, "live boards could not be looked at"),
        }
        if seen.len() > 100_000 {
            seen.clear(); // at worst, one message more per board
        }
    }
}

impl Competitions {
    async fn push_changed(&self, since: i64, seen: &mut HashMap<String, i64>) -> Result<(), String> {
        let changed = {
            let mut conn = self.platform.db.pool().acquire().await.map_err(|e| e.to_string())?;
            competitions::store::changed_boards(&mut conn, since).await.map_err(|e| e.to_string())?
        };
        for (id, version, _) in changed {
            if seen.get(&id) == Some(&version) {
                continue;
            }
            seen.insert(id.clone(), version);
            let topic = format!("{TOPIC}:{id}");
            if self.platform.realtime.listeners_here(&topic) == 0 {
                continue;
            }
            let top = self.live_top(&id).await.map_err(|e| e.to_string())?;
            let data = serde_json::json!({ "competition_id": id, "version": version, "top": top });
            self.platform.realtime.publish_here(&topic, CHANGED, data);
        }
        Ok(())
    }

    /// The top of the board as everyone sees it (no one's blocks applied:
    /// a client drops the people it hides).
    async fn live_top(&self, id: &str) -> crate::error::Result<serde_json::Value> {
        let mut conn = self.platform.db.pool().acquire().await?;
        let Some(competition) = competitions::store::get(&mut conn, id).await? else {
            return Ok(serde_json::json!([]));
        };
        let board = crate::boards::store::Board::competition(id, competition.kind.band_width());
        let rows = board.page(&mut conn, None, false, TOP as i64).await?;
        drop(conn);
        let mut out = Vec::with_capacity(rows.len());
        for (n, row) in rows.iter().enumerate() {
            use sqlx::Row;
            let user_id: String = row.try_get("user_id")?;
            let score: f64 = row.try_get("score")?;
            out.push(serde_json::json!({ "place": n + 1, "user_id": user_id, "score": score }));
        }
        Ok(serde_json::Value::Array(out))
    }
}
