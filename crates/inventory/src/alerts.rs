//! Wear alerts: when an item's or a fitted part's distance reaches its
//! threshold, the person is told once. The threshold announced is kept, so
//! the same threshold is never announced twice (not even when an edit takes
//! the distance below it and back); a threshold raised past the one
//! announced, or a new part, arms it again. A lowered one does not: the
//! person was already told the item is past it.

use platform::notify::{self, Notice};
use sqlx::AnyConnection;

use crate::components::{self, StoredComponent};
use crate::equipment::{self, Stored};
use crate::error::Result;
use crate::usage;
use crate::Inventory;

/// The kind of notice, for `/api/v1/notifications` and the preferences.
pub const WORN: &str = "equipment_worn";

impl Inventory {
    /// Announces whatever of these items (and their fitted parts) just
    /// reached its threshold, in the caller's transaction.
    pub(crate) async fn check_alerts(&self, conn: &mut AnyConnection, user_id: &str, items: &[String]) -> Result<()> {
        // In one order, so that two transactions locking the same items cannot deadlock.
        let mut items = items.to_vec();
        items.sort();
        items.dedup();
        for id in &items {
            // Locked: a change to the item at the same moment (a new threshold)
            // waits, so the two cannot both announce or lose the mark.
            let Some(mut item) = equipment::store::owned(conn, user_id, id, true).await? else { continue };
            if let Some(threshold) = due(item.threshold_m, item.alerted_threshold_m) {
                let done = usage::store::distance(conn, id, i64::MIN, None).await?;
                if done >= threshold {
                    announce(conn, &item, None, done, threshold).await?;
                    item.alerted_threshold_m = Some(threshold);
                    equipment::store::update(conn, &item).await?;
                }
            }
            for part in components::store::fitted(conn, user_id, id).await? {
                self.check_part(conn, &item, part).await?;
            }
        }
        Ok(())
    }

    /// Announces whether one part, just fitted or just changed, reached its
    /// threshold, in the caller's transaction, which holds its `item`
    /// locked. Only that part can have: the item's distance and its other
    /// parts' did not change. (Checking all of them again made fitting many
    /// parts cost the square of their number, and a crowd fitting 200 parts
    /// at once waited past the pool's timeout.)
    pub(crate) async fn check_fitted_part(
        &self,
        conn: &mut AnyConnection,
        item: &Stored,
        part: StoredComponent,
    ) -> Result<()> {
        if part.removed_at.is_some() {
            return Ok(());
        }
        self.check_part(conn, item, part).await
    }

    async fn check_part(&self, conn: &mut AnyConnection, item: &Stored, mut part: StoredComponent) -> Result<()> {
        let Some(threshold) = due(part.threshold_m, part.alerted_threshold_m) else { return Ok(()) };
        let done = usage::store::distance(conn, &item.id, part.installed_at, part.removed_at).await?;
        if done >= threshold {
            announce(conn, item, Some(&part), done, threshold).await?;
            part.alerted_threshold_m = Some(threshold);
            components::store::update(conn, &part).await?;
        }
        Ok(())
    }
}

/// The threshold still to announce, if any.
fn due(threshold: Option<f64>, announced: Option<f64>) -> Option<f64> {
    threshold.filter(|t| announced.is_none_or(|a| *t > a))
}

async fn announce(
    conn: &mut AnyConnection,
    item: &Stored,
    part: Option<&StoredComponent>,
    done_m: f64,
    threshold_m: f64,
) -> Result<()> {
    let name = match part {
        Some(part) => part.label(&item.name()),
        None => item.name(),
    };
    let title = format!("{name} has done {} km: time to look at it", (done_m / 1000.0).round());
    let data = serde_json::json!({
        "equipment_id": item.id,
        "component_id": part.map(|p| p.id.as_str()),
        "name": name,
        "distance_m": done_m,
        "threshold_m": threshold_m,
    });
    let notice = Notice {
        user_id: &item.user_id,
        kind: WORN,
        subject_id: Some(part.map_or(item.id.as_str(), |p| p.id.as_str())),
        actor_id: None,
        title: &title,
        data,
    };
    notify::request(conn, &notice).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::due;

    #[test]
    fn a_threshold_is_due_until_announced_and_again_once_changed() {
        assert_eq!(due(Some(700.0), None), Some(700.0));
        assert_eq!(due(Some(700.0), Some(700.0)), None);
        assert_eq!(due(Some(900.0), Some(700.0)), Some(900.0));
        assert_eq!(due(None, Some(700.0)), None);
        assert_eq!(due(Some(600.0), Some(700.0)), None, "lowered below what was announced");
    }
}
