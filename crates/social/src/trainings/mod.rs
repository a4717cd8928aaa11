//! Social's copy of each training, kept from training's `WorkoutRecorded`,
//! `WorkoutUpdated` and `WorkoutDeleted`, with the fan-out of each to its
//! author's followers' feeds; and who may see one of them, checked at read
//! time against the training's privacy, follows and blocks as they are now.

pub(crate) mod store;

use platform::events::{Event, EventHandlers, HandlerError};
use serde::Deserialize;
use sqlx::AnyConnection;

use crate::error::{Result, SocialError};
use crate::{feed, relations, Social, CONTEXT};

pub const RECORDED: &str = "WorkoutRecorded";
pub const UPDATED: &str = "WorkoutUpdated";
pub const DELETED: &str = "WorkoutDeleted";

pub const PUBLIC: &str = "public";
pub const FOLLOWERS: &str = "followers";
pub const PRIVATE: &str = "private";

/// A training as social keeps it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Training {
    pub workout_id: String,
    pub user_id: String,
    pub privacy: String,
    pub sport: String,
    pub title: String,
    pub started_at: i64,
    pub duration_s: f64,
    pub distance_m: Option<f64>,
    pub elevation_m: Option<f64>,
    /// `[[lat, lon] | null, …]`, as JSON.
    pub shape: serde_json::Value,
}

#[derive(Deserialize)]
struct Facts {
    workout_id: String,
    user_id: String,
    sport: String,
    privacy: String,
    started_at: String,
    #[serde(default)]
    started_ms: Option<i64>,
    duration_s: f64,
    distance_m: Option<f64>,
    elevation_gain_m: Option<f64>,
    #[serde(default)]
    title: String,
    #[serde(default)]
    shape: Option<serde_json::Value>,
    /// `[metres, seconds]`; an edit's event has none and keeps the file's.
    #[serde(default)]
    best_efforts: Vec<(f64, f64)>,
}

pub fn register_events(social: &Social, handlers: &mut EventHandlers) {
    for kind in [RECORDED, UPDATED, DELETED] {
        let social = social.clone();
        handlers.on(CONTEXT, kind, move |event, mut tx| {
            let social = social.clone();
            async move {
                social.follow_training(&mut tx, &event).await?;
                Ok(tx)
            }
        });
    }
}

impl Social {
    async fn follow_training(&self, conn: &mut AnyConnection, event: &Event) -> std::result::Result<(), HandlerError> {
        let facts: Facts = event.payload()?;
        let last = store::last_event(conn, &facts.workout_id).await.map_err(HandlerError::new)?;
        if last.as_deref().is_some_and(|last| last >= event.id.as_str()) {
            return Ok(()); // an older event, replayed late
        }
        if event.kind == DELETED {
            store::mark_deleted(conn, &facts.workout_id, &facts.user_id, &event.id).await.map_err(HandlerError::new)?;
            return feed::store::forget_training(conn, &facts.workout_id).await.map_err(HandlerError::new);
        }
        let started_at = match facts.started_ms {
            Some(ms) => ms,
            None => started_ms(&facts.started_at).map_err(HandlerError::new)?,
        };
        if event.kind == RECORDED {
            store::put_efforts(conn, &facts.workout_id, &facts.user_id, &facts.best_efforts)
                .await
                .map_err(HandlerError::new)?;
        }
        let kept = store::get(conn, &facts.workout_id).await.map_err(HandlerError::new)?;
        let training = Training {
            // An edit's event has no shape: the one from the file stays.
            shape: facts.shape.or_else(|| kept.map(|k| k.shape)).unwrap_or(serde_json::json!([])),
            workout_id: facts.workout_id,
            user_id: facts.user_id,
            privacy: facts.privacy,
            sport: facts.sport,
            title: facts.title,
            started_at,
            duration_s: facts.duration_s,
            distance_m: facts.distance_m,
            elevation_m: facts.elevation_gain_m,
        };
        store::put(conn, &training, &event.id).await.map_err(HandlerError::new)?;
        feed::fan_out(conn, &training).await.map_err(HandlerError::new)
    }

    /// The training, if `viewer` may see it now; else not found.
    pub(crate) async fn visible_training(&self, conn: &mut AnyConnection, viewer: &str, id: &str) -> Result<Training> {
        let training = store::get(conn, id).await?.ok_or(SocialError::NotFound)?;
        if training.user_id == viewer {
            return Ok(training);
        }
        if relations::store::blocked_either_way(conn, viewer, &training.user_id).await? {
            return Err(SocialError::NotFound);
        }
        let follows = relations::store::follow_state(conn, viewer, &training.user_id).await?.as_deref()
            == Some(relations::ACCEPTED);
        if privacies_for(viewer, &training.user_id, follows).contains(&training.privacy.as_str()) {
            Ok(training)
        } else {
            Err(SocialError::NotFound)
        }
    }
}

/// The privacies of `owner`'s trainings that `viewer` may see.
pub fn privacies_for(viewer: &str, owner: &str, follows: bool) -> Vec<&'static str> {
    if viewer == owner {
        vec![PUBLIC, FOLLOWERS, PRIVATE]
    } else if follows {
        vec![PUBLIC, FOLLOWERS]
    } else {
        vec![PUBLIC]
    }
}

fn started_ms(rfc3339: &str) -> std::result::Result<i64, String> {
    let at = time::OffsetDateTime::parse(rfc3339, &time::format_description::well_known::Rfc3339)
        .map_err(|e| format!("a training's start is not RFC 3339: {e}"))?;
    Ok((at.unix_timestamp_nanos() / 1_000_000) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stranger_sees_public_a_follower_followers_and_the_owner_all() {
        assert_eq!(privacies_for("a", "b", false), [PUBLIC]);
        assert_eq!(privacies_for("a", "b", true), [PUBLIC, FOLLOWERS]);
        assert_eq!(privacies_for("b", "b", false), [PUBLIC, FOLLOWERS, PRIVATE]);
    }

    #[test]
    fn a_start_reads_as_milliseconds() {
        assert_eq!(started_ms("2026-11-20T07:00:00.000Z").unwrap(), 1_795_158_000_000);
    }
}
