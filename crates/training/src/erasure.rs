//! A person's workouts, photos, imports and files gone when their account
//! is: training handles identity's `UserDeleted`. The rows go in the
//! handler's transaction; the files first, since deleting them twice does
//! no harm and a replayed event finds nothing left to delete.

use platform::events::{EventHandlers, HandlerError};
use serde::Deserialize;

use crate::workouts::store;
use crate::{Training, CONTEXT};

pub const USER_DELETED: &str = "UserDeleted";

#[derive(Deserialize)]
struct Gone {
    user_id: String,
}

pub fn register_events(training: &Training, handlers: &mut EventHandlers) {
    let training = training.clone();
    handlers.on(CONTEXT, USER_DELETED, move |event, mut tx| {
        let training = training.clone();
        async move {
            let gone: Gone = event.payload()?;
            let files = training.platform.blobs.delete_prefix(&crate::workouts::files_of(&gone.user_id)).await;
            let files = files.map_err(HandlerError::new)?;
            store::delete_of_user(&mut tx, &gone.user_id).await.map_err(HandlerError::new)?;
            tracing::info!(user = %gone.user_id, files, "a deleted person's training erased");
            Ok(tx)
        }
    });
}
