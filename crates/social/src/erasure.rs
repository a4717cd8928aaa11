//! A person's social life gone with their account: profile, follows both
//! ways, blocks, feed, kudos and comments they gave, and reports they
//! filed, on identity's `UserDeleted`. The moderators' log stays.

use platform::events::{EventHandlers, HandlerError};
use serde::Deserialize;

use crate::{feed, moderation, profiles, reactions, relations, trainings, Social, CONTEXT};

pub const USER_DELETED: &str = "UserDeleted";

#[derive(Deserialize)]
struct Gone {
    user_id: String,
}

pub fn register_events(social: &Social, handlers: &mut EventHandlers) {
    handlers.on(CONTEXT, USER_DELETED, |event, mut tx| async move {
        let gone: Gone = event.payload()?;
        let id = gone.user_id.as_str();
        async {
            profiles::store::erase_user(&mut tx, id).await?;
            relations::store::erase_user(&mut tx, id).await?;
            feed::store::erase_user(&mut tx, id).await?;
            reactions::store::erase_user(&mut tx, id).await?;
            trainings::store::erase_user(&mut tx, id).await?;
            moderation::store::erase_user(&mut tx, id).await
        }
        .await
        .map_err(HandlerError::new)?;
        tracing::info!(user = %id, "a deleted person's social data erased");
        Ok(tx)
    });
    let _ = social;
}
