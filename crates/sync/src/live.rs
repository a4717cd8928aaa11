//! The live hint: every logged change tells the person's open devices on
//! `user:<id>` that there is something to pull. The event comes from the
//! outbox, so the change has committed by the time a device pulls.

use platform::change_log::CHANGE_LOGGED;
use platform::events::EventHandlers;
use serde::Deserialize;

use crate::{Sync, CONTEXT};

pub const SYNC_CHANGED: &str = "SyncChanged";

#[derive(Deserialize)]
struct Logged {
    seq: i64,
}

pub fn register_events(sync: &Sync, handlers: &mut EventHandlers) {
    let sync = sync.clone();
    handlers.on(CONTEXT, CHANGE_LOGGED, move |event, tx| {
        let sync = sync.clone();
        async move {
            let logged: Logged = event.payload()?;
            let topic = format!("user:{}", event.user_id);
            let hint = serde_json::json!({ "cursor": logged.seq.to_string() });
            sync.platform.realtime.publish(&topic, SYNC_CHANGED, hint).await;
            Ok(tx)
        }
    });
}
