//! A person's sync bookkeeping gone with their account, on `UserDeleted`.

use platform::events::{EventHandlers, HandlerError};
use serde::Deserialize;

use crate::{store, Sync, CONTEXT};

pub const USER_DELETED: &str = "UserDeleted";

#[derive(Deserialize)]
struct Gone {
    user_id: String,
}

pub fn register_events(_: &Sync, handlers: &mut EventHandlers) {
    handlers.on(CONTEXT, USER_DELETED, |event, mut tx| async move {
        let gone: Gone = event.payload()?;
        store::erase_user(&mut tx, &gone.user_id).await.map_err(HandlerError::new)?;
        // Their parts are files under the person's folder, which goes whole.
        crate::uploads::store::erase_user(&mut tx, &gone.user_id).await.map_err(HandlerError::new)?;
        Ok(tx)
    });
}
