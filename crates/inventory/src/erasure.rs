//! A person's equipment, photos, settings and offers gone when their
//! account is: inventory handles identity's `UserDeleted`. Files first:
//! deleting them twice does no harm, and a replayed event finds nothing.

use platform::events::{EventHandlers, HandlerError};
use serde::Deserialize;

use crate::{equipment, promotions, usage, Inventory, CONTEXT};

pub const USER_DELETED: &str = "UserDeleted";

#[derive(Deserialize)]
struct Gone {
    user_id: String,
}

pub fn register_events(inventory: &Inventory, handlers: &mut EventHandlers) {
    let inventory = inventory.clone();
    handlers.on(CONTEXT, USER_DELETED, move |event, mut tx| {
        let inventory = inventory.clone();
        async move {
            let gone: Gone = event.payload()?;
            let folder = equipment::photo::files_of(&gone.user_id);
            let files = inventory.platform.blobs.delete_prefix(&folder).await.map_err(HandlerError::new)?;
            equipment::store::erase_user(&mut tx, &gone.user_id).await.map_err(HandlerError::new)?;
            usage::store::forget_user(&mut tx, &gone.user_id).await.map_err(HandlerError::new)?;
            promotions::store::erase_user(&mut tx, &gone.user_id).await.map_err(HandlerError::new)?;
            tracing::info!(user = %gone.user_id, files, "a deleted person's equipment erased");
            Ok(tx)
        }
    });
}
