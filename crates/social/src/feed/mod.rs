//! The feed: the trainings of the people one follows and one's own, newest
//! first. Mixed strategy (see `docs/social.md`): a training is written into
//! each follower's feed when it is recorded (fan-out on write), except for
//! authors with more than `FAN_OUT_LIMIT` followers, whose trainings are
//! read at page time instead; every entry is checked at read time against
//! the training's privacy, follows and blocks as they are then.

pub(crate) mod store;

use std::collections::HashSet;

use platform::db::{rfc3339, Reads};
use platform::people::PublicProfile;
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;
use utoipa::{IntoParams, ToSchema};

use crate::error::{Result, SocialError};
use crate::trainings::{privacies_for, Training, PRIVATE};
use crate::{reactions, relations, Social};

/// Past this many followers an author's trainings are read, not written out.
pub const FAN_OUT_LIMIT: i64 = 5_000;

/// One training in a feed: enough to draw it without another request.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Entry {
    pub workout_id: String,
    /// Who did it; absent only while their account is being erased.
    pub author: Option<PublicProfile>,
    #[serde(skip)]
    pub author_id: String,
    pub sport: String,
    pub title: String,
    /// UTC, RFC 3339.
    pub started_at: String,
    pub duration_s: f64,
    pub distance_m: Option<f64>,
    pub elevation_m: Option<f64>,
    pub privacy: String,
    /// The route, at most 64 `[lat, lon]` (null between segments); empty without a track.
    #[schema(value_type = Vec<Object>)]
    pub shape: serde_json::Value,
    pub kudos: i64,
    pub comments: i64,
    /// Whether the viewer gave kudos.
    pub you_gave_kudos: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FeedPage {
    pub items: Vec<Entry>,
    /// Pass as `cursor` for the next page; none on the last.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct FeedQuery {
    pub cursor: Option<String>,
    /// 1 to 50; 20 when left out.
    #[param(minimum = 1, maximum = 50)]
    pub limit: Option<u32>,
}

/// Where a page ends: the last entry's start and id.
#[derive(Clone, Debug, PartialEq)]
pub struct Position {
    pub started_at: i64,
    pub workout_id: String,
}

impl Social {
    pub async fn feed(&self, viewer: &str, query: FeedQuery) -> Result<FeedPage> {
        let limit = query.limit.unwrap_or(20);
        if !(1..=50).contains(&limit) {
            return Err(SocialError::invalid("limit", "ask for 1 to 50 entries"));
        }
        let mut before = query.cursor.as_deref().filter(|c| !c.is_empty()).map(decode).transpose()?;
        let mut conn = self.platform.db.read().await?;
        let followed: HashSet<String> = relations::store::all_followed(&mut conn, viewer).await?.into_iter().collect();
        let blocked: HashSet<String> = relations::store::blocked_around(&mut conn, viewer).await?.into_iter().collect();
        let big = store::big_authors(&mut conn, viewer, FAN_OUT_LIMIT).await?;
        let mut page: Vec<Training> = Vec::new();
        // Entries may be filtered out at read time: read until a page is full.
        for _ in 0..5 {
            let batch = i64::from(limit) * 2;
            let candidates = store::candidates(&mut conn, viewer, &big, before.as_ref(), batch).await?;
            let exhausted = (candidates.len() as i64) < batch;
            before = candidates.last().map(|t| Position { started_at: t.started_at, workout_id: t.workout_id.clone() });
            page.extend(candidates.into_iter().filter(|t| shows(viewer, t, &followed, &blocked)));
            if page.len() >= limit as usize || exhausted {
                break;
            }
        }
        page.truncate(limit as usize);
        let next_cursor = (page.len() == limit as usize).then(|| {
            let last = page.last().expect("a full page");
            encode(&Position { started_at: last.started_at, workout_id: last.workout_id.clone() })
        });
        let items = entries(&mut conn, viewer, page).await?;
        drop(conn);
        Ok(FeedPage { items: self.with_authors(items).await?, next_cursor })
    }

    /// Adds who did each training, asking identity once for the page.
    pub(crate) async fn with_authors(&self, mut items: Vec<Entry>) -> Result<Vec<Entry>> {
        let ids: Vec<String> = items.iter().map(|item| item.author_id.clone()).collect();
        let known = self.people_by_id(&ids).await?;
        for item in &mut items {
            item.author = known.get(&item.author_id).cloned();
        }
        Ok(items)
    }
}

/// Whether the viewer may see the training now, and it belongs in their
/// feed: their own, or of someone they follow and who did not block them.
fn shows(viewer: &str, t: &Training, followed: &HashSet<String>, blocked: &HashSet<String>) -> bool {
    let follows = followed.contains(&t.user_id);
    let in_feed = t.user_id == viewer || (follows && !blocked.contains(&t.user_id));
    in_feed && privacies_for(viewer, &t.user_id, follows).contains(&t.privacy.as_str())
}

/// Writes a training into its author's followers' feeds (or takes it out
/// when it became private), unless the author has too many followers.
pub(crate) async fn fan_out(conn: &mut AnyConnection, training: &Training) -> Result<()> {
    if training.privacy == PRIVATE {
        return store::forget_training(conn, &training.workout_id).await;
    }
    let (followers, _) = relations::store::counts(conn, &training.user_id).await?;
    if followers > FAN_OUT_LIMIT {
        return Ok(());
    }
    store::write_out(conn, training).await
}

/// Trainings as feed entries with their counts for the viewer.
pub(crate) async fn entries(conn: &mut impl Reads, viewer: &str, trainings: Vec<Training>) -> Result<Vec<Entry>> {
    let ids: Vec<String> = trainings.iter().map(|t| t.workout_id.clone()).collect();
    let counts = reactions::store::counts(conn, viewer, &ids).await?;
    Ok(trainings
        .into_iter()
        .map(|t| {
            let (kudos, comments, you_gave_kudos) = counts.get(&t.workout_id).copied().unwrap_or_default();
            Entry {
                started_at: rfc3339(t.started_at),
                author: None,
                author_id: t.user_id,
                workout_id: t.workout_id,
                sport: t.sport,
                title: t.title,
                duration_s: t.duration_s,
                distance_m: t.distance_m,
                elevation_m: t.elevation_m,
                privacy: t.privacy,
                shape: t.shape,
                kudos,
                comments,
                you_gave_kudos,
            }
        })
        .collect())
}

fn encode(position: &Position) -> String {
    format!("{}_{}", position.started_at, position.workout_id)
}

fn decode(cursor: &str) -> Result<Position> {
    let bad = || SocialError::invalid("cursor", "the cursor is not one this server gave");
    let (at, id) = cursor.split_once('_').ok_or_else(bad)?;
    let started_at = at.parse().map_err(|_| bad())?;
    if id.is_empty() || id.len() > 64 {
        return Err(bad());
    }
    Ok(Position { started_at, workout_id: id.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trainings::{FOLLOWERS, PUBLIC};

    fn training(user: &str, privacy: &str) -> Training {
        Training { user_id: user.into(), privacy: privacy.into(), ..Training::default() }
    }

    #[test]
    fn a_feed_shows_what_privacy_follows_and_blocks_allow_now() {
        let followed: HashSet<String> = ["friend".to_string()].into();
        let blocked: HashSet<String> = ["rude".to_string()].into();
        assert!(shows("me", &training("me", PRIVATE), &followed, &blocked));
        assert!(shows("me", &training("friend", FOLLOWERS), &followed, &blocked));
        assert!(!shows("me", &training("friend", PRIVATE), &followed, &blocked));
        assert!(!shows("me", &training("stranger", FOLLOWERS), &followed, &blocked), "no longer followed");
        assert!(!shows("me", &training("rude", PUBLIC), &followed, &blocked));
    }

    #[test]
    fn cursors_read_back_and_junk_is_refused() {
        let at = Position { started_at: 1_700_000_000_000, workout_id: "0193abc".into() };
        assert_eq!(decode(&encode(&at)).unwrap(), at);
        assert!(decode("nonsense").is_err());
    }
}
