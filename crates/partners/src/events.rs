//! What partners hears: training's workouts (when someone last trained, and
//! how fast, for the deck and for suggestions), social's blocks (a block
//! ends the pair's match and conversation) and hidden messages.

use platform::db::now_ms;
use platform::events::{EventHandlers, HandlerError};
use serde::Deserialize;
use sqlx::AnyConnection;

use crate::{chat, finder, swipes, Partners, CONTEXT};

pub const WORKOUT_RECORDED: &str = "WorkoutRecorded";
pub const WORKOUT_DELETED: &str = "WorkoutDeleted";
pub const PERSON_BLOCKED: &str = "PersonBlocked";
pub const MESSAGE_HIDDEN: &str = "MessageHidden";

#[derive(Deserialize)]
struct Training {
    workout_id: String,
    user_id: String,
    #[serde(default)]
    sport: String,
    started_ms: Option<i64>,
    #[serde(default)]
    duration_s: f64,
    moving_s: Option<f64>,
    distance_m: Option<f64>,
}

impl Training {
    /// Average moving speed, when the training has a distance and a time.
    fn kmh(&self) -> Option<f64> {
        let seconds = self.moving_s.filter(|s| *s > 0.0).unwrap_or(self.duration_s);
        let metres = self.distance_m?;
        (seconds > 0.0 && metres > 0.0).then(|| metres / seconds * 3.6).filter(|k| (0.5..=200.0).contains(k))
    }
}

#[derive(Deserialize)]
struct Blocked {
    blocker_id: String,
    blocked_id: String,
}

#[derive(Deserialize)]
struct Hidden {
    message_id: String,
}

pub fn register(this: &Partners, handlers: &mut EventHandlers) {
    handlers.on(CONTEXT, WORKOUT_RECORDED, |event, mut tx| async move {
        let t: Training = event.payload()?;
        let at = t.started_ms.unwrap_or_else(now_ms);
        finder::store::record_training(&mut tx, &t.workout_id, &t.user_id, &t.sport, t.kmh(), at)
            .await
            .map_err(HandlerError::new)?;
        Ok(tx)
    });
    handlers.on(CONTEXT, WORKOUT_DELETED, |event, mut tx| async move {
        let t: Training = event.payload()?;
        finder::store::forget_training(&mut tx, &t.workout_id).await.map_err(HandlerError::new)?;
        Ok(tx)
    });
    let partners = this.clone();
    handlers.on(CONTEXT, PERSON_BLOCKED, move |event, mut tx| {
        let this = partners.clone();
        async move {
            let b: Blocked = event.payload()?;
            let ended = end_between(&mut tx, &b.blocker_id, &b.blocked_id).await.map_err(HandlerError::new)?;
            if let Some(conversation) = ended {
                // Said as the handler hands its transaction back: a client
                // that hears it first reads `ended` on its next look.
                tokio::spawn(async move { this.announce_ended(&conversation).await });
            }
            Ok(tx)
        }
    });
    let partners = this.clone();
    handlers.on(CONTEXT, MESSAGE_HIDDEN, move |event, mut tx| {
        let this = partners.clone();
        async move {
            let h: Hidden = event.payload()?;
            let message = chat::store::message_by_id(&mut tx, &h.message_id).await.map_err(HandlerError::new)?;
            if let Some(message) = message {
                chat::store::delete_message(&mut tx, &message.id).await.map_err(HandlerError::new)?;
                if let Some(conversation) =
                    chat::store::get(&mut tx, &message.conversation_id).await.map_err(HandlerError::new)?
                {
                    let this = this.clone();
                    tokio::spawn(async move { this.tell_deleted(&conversation, &message.id).await });
                }
            }
            Ok(tx)
        }
    });
}

/// Ends the two people's match and their conversation; the conversation,
/// when it was still open.
async fn end_between(conn: &mut AnyConnection, x: &str, y: &str) -> crate::error::Result<Option<chat::Stored>> {
    swipes::store::take_turn(conn, x, y).await?;
    swipes::store::remove_match(conn, x, y).await?;
    let Some(conversation) = chat::store::between(conn, x, y).await? else { return Ok(None) };
    Ok(chat::store::end(conn, &conversation.id, now_ms()).await?.then_some(conversation))
}
