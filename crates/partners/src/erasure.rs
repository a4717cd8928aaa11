//! A person's partners data gone with their account, on identity's
//! `UserDeleted`: their opt-in, swipes both ways, matches and the messages
//! they sent. Their conversations end; the other side keeps its own
//! messages, next to "a deleted account".

use platform::db::now_ms;
use platform::events::{EventHandlers, HandlerError};
use serde::Deserialize;

use crate::{chat, finder, swipes, Partners, CONTEXT};

pub const USER_DELETED: &str = "UserDeleted";

#[derive(Deserialize)]
struct Gone {
    user_id: String,
}

pub fn register_events(_: &Partners, handlers: &mut EventHandlers) {
    handlers.on(CONTEXT, USER_DELETED, |event, mut tx| async move {
        let gone: Gone = event.payload()?;
        let id = gone.user_id.as_str();
        async {
            finder::store::erase_user(&mut tx, id).await?;
            swipes::store::erase_user(&mut tx, id).await?;
            for conversation in chat::store::of_person(&mut tx, id).await? {
                chat::store::end(&mut tx, &conversation.id, now_ms()).await?;
            }
            chat::store::erase_sent(&mut tx, id).await
        }
        .await
        .map_err(HandlerError::new)?;
        tracing::info!(user = %id, "a deleted person's partners data erased");
        Ok(tx)
    });
}
