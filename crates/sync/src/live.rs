//! The live hint: an open device hears `SyncChanged` on `user:<id>` and
//! pulls. Trainings' changes are heard from training's events (`Workout…`),
//! which come from the outbox after the change has committed; changes made
//! through a push are told once the push is done. Equipment changed through
//! its regular routes has no event to hear; devices pick it up at their next
//! pull (at start, on focus, every minute).

use platform::change_log;
use platform::events::{EventHandlers, HandlerError};

use crate::{Sync, CONTEXT};

pub const SYNC_CHANGED: &str = "SyncChanged";

const HEARD: &[&str] = &["WorkoutRecorded", "WorkoutUpdated", "WorkoutDeleted", "EquipmentDeleted"];

pub fn register_events(sync: &Sync, handlers: &mut EventHandlers) {
    for kind in HEARD {
        let sync = sync.clone();
        handlers.on(CONTEXT, kind, move |event, mut tx| {
            let sync = sync.clone();
            async move {
                let (last, _) = change_log::counter(&mut tx, &event.user_id).await.map_err(HandlerError::new)?;
                sync.hint(&event.user_id, last).await;
                Ok(tx)
            }
        });
    }
}

impl Sync {
    /// Tells the person's open devices that changes up to `last` are there to pull.
    pub(crate) async fn hint(&self, user_id: &str, last: i64) {
        let hint = serde_json::json!({ "cursor": last.to_string() });
        self.platform.realtime.publish(&format!("user:{user_id}"), SYNC_CHANGED, hint).await;
    }
}
