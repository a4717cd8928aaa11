//! Kudos and comments on trainings: one kudos per person per training;
//! comments with mentions that notify, changed or deleted by their author,
//! removed by the training's owner. None of it is reachable where the
//! training is not: every route first checks the viewer may see it.

pub(crate) mod store;

use platform::db::{now_ms, rfc3339};
use platform::notify::{self, Notice};
use platform::people::PublicProfile;
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;
use utoipa::ToSchema;

use crate::error::{Result, SocialError};
use crate::trainings::Training;
use crate::Social;

pub const MAX_COMMENT: usize = 2_000;
pub const MAX_MENTIONS: usize = 10;
/// Comments one person may write in a clock hour: plenty for a conversation, few for a flood.
pub const HOURLY_COMMENTS: i64 = 60;

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Comment {
    pub id: String,
    pub workout_id: String,
    pub author: Option<PublicProfile>,
    #[serde(skip)]
    pub author_id: String,
    pub body: String,
    pub created_at: String,
    /// When the author last changed it.
    pub edited_at: Option<String>,
    /// Hidden by a moderator: only administrators see it.
    pub hidden: bool,
}

/// A comment as stored.
#[derive(Clone, Debug)]
pub struct StoredComment {
    pub id: String,
    pub workout_id: String,
    pub author_id: String,
    pub body: String,
    pub hidden: bool,
    pub created_at: i64,
    pub edited_at: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewComment {
    /// 1 to 2 000 characters.
    #[schema(min_length = 1, max_length = 2000)]
    pub body: String,
    /// The people the comment mentions (`@Name` in the body), at most 10:
    /// each is told, if they may see the training.
    #[serde(default)]
    #[schema(max_items = 10)]
    pub mentions: Vec<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommentChange {
    #[schema(min_length = 1, max_length = 2000)]
    pub body: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct KudosState {
    pub kudos: i64,
    pub you_gave_kudos: bool,
}

impl StoredComment {
    fn shown(self) -> Comment {
        Comment {
            id: self.id,
            workout_id: self.workout_id,
            author: None,
            author_id: self.author_id,
            body: self.body,
            created_at: rfc3339(self.created_at),
            edited_at: self.edited_at.map(rfc3339),
            hidden: self.hidden,
        }
    }
}

fn check_body(body: &str) -> Result<String> {
    let body = body.trim();
    if body.is_empty() || body.chars().count() > MAX_COMMENT {
        return Err(SocialError::invalid("body", "a comment is 1 to 2 000 characters"));
    }
    Ok(body.to_string())
}

impl Social {
    pub async fn give_kudos(&self, me: &str, workout_id: &str) -> Result<KudosState> {
        let mut tx = self.platform.db.begin().await?;
        let training = self.visible_training(&mut tx, me, workout_id).await?;
        if store::add_kudos(&mut tx, workout_id, me, now_ms()).await? && training.user_id != me {
            tell_about(&mut tx, &training, "kudos", me, "Someone gave you kudos").await?;
        }
        let state = kudos_state(&mut tx, me, workout_id).await?;
        tx.commit().await?;
        Ok(state)
    }

    pub async fn kudos(&self, me: &str, workout_id: &str) -> Result<KudosState> {
        let mut conn = self.platform.db.pool().acquire().await?;
        self.visible_training(&mut conn, me, workout_id).await?;
        kudos_state(&mut conn, me, workout_id).await
    }

    pub async fn take_back_kudos(&self, me: &str, workout_id: &str) -> Result<KudosState> {
        let mut tx = self.platform.db.begin().await?;
        self.visible_training(&mut tx, me, workout_id).await?;
        store::remove_kudos(&mut tx, workout_id, me).await?;
        let state = kudos_state(&mut tx, me, workout_id).await?;
        tx.commit().await?;
        Ok(state)
    }

    /// The comments the viewer may read, oldest first (administrators also see hidden ones).
    pub async fn comments(&self, me: &str, admin: bool, workout_id: &str) -> Result<Vec<Comment>> {
        let comments = {
            let mut conn = self.platform.db.pool().acquire().await?;
            self.visible_training(&mut conn, me, workout_id).await?;
            let blocked = crate::relations::store::blocked_around(&mut conn, me).await?;
            let stored = store::comments(&mut conn, workout_id).await?;
            stored.into_iter().filter(|c| (admin || !c.hidden) && !blocked.contains(&c.author_id)).collect::<Vec<_>>()
        };
        self.with_comment_authors(comments.into_iter().map(StoredComment::shown).collect()).await
    }

    pub async fn comment(&self, me: &str, workout_id: &str, new: NewComment) -> Result<Comment> {
        let body = check_body(&new.body)?;
        if new.mentions.len() > MAX_MENTIONS {
            return Err(SocialError::invalid("mentions", "mention at most 10 people"));
        }
        let stored = StoredComment {
            id: uuid::Uuid::now_v7().to_string(),
            workout_id: workout_id.to_string(),
            author_id: me.to_string(),
            body,
            hidden: false,
            created_at: now_ms(),
            edited_at: None,
        };
        let mut tx = self.platform.db.begin().await?;
        let training = self.visible_training(&mut tx, me, workout_id).await?;
        if store::count_comment(&mut tx, me, stored.created_at / 3_600_000).await? > HOURLY_COMMENTS {
            return Err(SocialError::TooMany(format!(
                "you wrote {HOURLY_COMMENTS} comments this hour; wait for the next before writing more"
            )));
        }
        store::add_comment(&mut tx, &stored).await?;
        if training.user_id != me {
            tell_about(&mut tx, &training, "comment", me, "Someone commented on your training").await?;
        }
        for mentioned in new.mentions.iter().filter(|m| m.as_str() != me && **m != training.user_id) {
            // Only people who may see the training hear of it.
            if self.visible_training(&mut tx, mentioned, workout_id).await.is_ok() {
                let title = "Someone mentioned you in a comment";
                notice(&mut tx, mentioned, "mention", &training, me, title).await?;
            }
        }
        tx.commit().await?;
        let mut shown = self.with_comment_authors(vec![stored.shown()]).await?;
        Ok(shown.remove(0))
    }

    pub async fn change_comment(&self, me: &str, workout_id: &str, id: &str, change: CommentChange) -> Result<Comment> {
        let body = check_body(&change.body)?;
        let mut tx = self.platform.db.begin().await?;
        self.visible_training(&mut tx, me, workout_id).await?;
        let mut comment = store::comment(&mut tx, workout_id, id).await?.ok_or(SocialError::NotFound)?;
        if comment.author_id != me || comment.hidden {
            return Err(SocialError::NotFound);
        }
        comment.body = body;
        comment.edited_at = Some(now_ms());
        store::update_comment(&mut tx, &comment).await?;
        tx.commit().await?;
        let mut shown = self.with_comment_authors(vec![comment.shown()]).await?;
        Ok(shown.remove(0))
    }

    /// Deleted by its author, or removed by the training's owner.
    pub async fn delete_comment(&self, me: &str, workout_id: &str, id: &str) -> Result<()> {
        let mut tx = self.platform.db.begin().await?;
        let training = self.visible_training(&mut tx, me, workout_id).await?;
        let comment = store::comment(&mut tx, workout_id, id).await?.ok_or(SocialError::NotFound)?;
        if comment.author_id != me && training.user_id != me {
            return Err(SocialError::NotFound);
        }
        store::delete_comment(&mut tx, id).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn with_comment_authors(&self, mut comments: Vec<Comment>) -> Result<Vec<Comment>> {
        let ids: Vec<String> = comments.iter().map(|comment| comment.author_id.clone()).collect();
        let known = self.people_by_id(&ids).await?;
        for comment in &mut comments {
            comment.author = known.get(&comment.author_id).cloned();
        }
        Ok(comments)
    }
}

async fn kudos_state(conn: &mut AnyConnection, me: &str, workout_id: &str) -> Result<KudosState> {
    let counts = store::counts(conn, me, &[workout_id.to_string()]).await?;
    let (kudos, _, you_gave_kudos) = counts.get(workout_id).copied().unwrap_or_default();
    Ok(KudosState { kudos, you_gave_kudos })
}

async fn tell_about(conn: &mut AnyConnection, training: &Training, kind: &str, actor: &str, title: &str) -> Result<()> {
    notice(conn, &training.user_id, kind, training, actor, title).await
}

async fn notice(
    conn: &mut AnyConnection,
    user_id: &str,
    kind: &str,
    training: &Training,
    actor: &str,
    title: &str,
) -> Result<()> {
    let data = serde_json::json!({ "workout_id": training.workout_id, "title": training.title, "user_id": actor });
    let notice = Notice { user_id, kind, subject_id: Some(&training.workout_id), actor_id: Some(actor), title, data };
    notify::request(conn, &notice).await?;
    Ok(())
}
