//! What notifications hears: requests for a notice (`NotificationRequested`,
//! from any context, see `platform::notify`) and identity's `UserDeleted`.
//! A stored notice goes live to the person's devices with the unread count.

use platform::events::{EventHandlers, HandlerError};
use platform::notify::NOTIFICATION_REQUESTED;
use serde::Deserialize;

use crate::model::{valid_kind, Channel};
use crate::store::{self, NewNotice};
use crate::{Notifications, CONTEXT};

/// What the live message of a new notice is called on `user:<id>`.
pub const ADDED: &str = "NotificationAdded";

#[derive(Deserialize)]
struct Requested {
    user_id: String,
    kind: String,
    subject_id: Option<String>,
    actor_id: Option<String>,
    title: String,
    #[serde(default)]
    data: serde_json::Value,
}

#[derive(Deserialize)]
struct Gone {
    user_id: String,
}

pub fn register(notifications: &Notifications, handlers: &mut EventHandlers) {
    let this = notifications.clone();
    handlers.on(CONTEXT, NOTIFICATION_REQUESTED, move |event, mut tx| {
        let this = this.clone();
        async move {
            let asked: Requested = event.payload()?;
            if !valid_kind(&asked.kind) {
                return Err(HandlerError::new(format!("`{}` is not a notification kind", asked.kind)));
            }
            if store::channel(&mut tx, &asked.user_id, &asked.kind).await? == Channel::Off {
                return Ok(tx);
            }
            let notice = NewNotice {
                event_id: &event.id,
                user_id: &asked.user_id,
                kind: &asked.kind,
                subject_id: asked.subject_id.as_deref(),
                actor_id: asked.actor_id.as_deref(),
                title: &asked.title,
                data: &asked.data,
            };
            if let Some(stored) = store::insert(&mut tx, &notice).await? {
                let unread = store::unread(&mut tx, &asked.user_id).await?;
                let live = serde_json::json!({ "notification": stored, "unread": unread });
                this.platform.realtime.publish(&format!("user:{}", asked.user_id), ADDED, live).await;
            }
            Ok(tx)
        }
    });
    handlers.on(CONTEXT, "UserDeleted", move |event, mut tx| async move {
        let gone: Gone = event.payload()?;
        store::erase(&mut tx, &gone.user_id).await?;
        Ok(tx)
    });
}
