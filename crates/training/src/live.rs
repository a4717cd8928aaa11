//! A person's open devices hear of their own workouts as they change:
//! training handles its own events by pushing a note to `user:<id>`, and a
//! device fetches what it needs from there.

use platform::events::EventHandlers;
use serde::Deserialize;

use crate::events::{DELETED, RECORDED, UPDATED};
use crate::{Training, CONTEXT};

#[derive(Deserialize)]
struct Changed {
    workout_id: String,
    user_id: String,
}

pub fn register_events(training: &Training, handlers: &mut EventHandlers) {
    for kind in [RECORDED, UPDATED, DELETED] {
        let training = training.clone();
        handlers.on(CONTEXT, kind, move |event, tx| {
            let training = training.clone();
            async move {
                let changed: Changed = event.payload()?;
                let topic = format!("user:{}", changed.user_id);
                let note = serde_json::json!({ "workout_id": changed.workout_id });
                training.platform.realtime.publish(&topic, &event.kind, note).await;
                Ok(tx)
            }
        });
    }
}
