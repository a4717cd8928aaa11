//! Who follows whom: following a public profile takes effect at once, a
//! private one gets a request to approve or refuse; unfollowing, removing a
//! follower, and blocking, which works both ways and ends every follow and
//! request between the two.

pub(crate) mod store;

use platform::db::now_ms;
use platform::notify::{self, Notice};
use platform::outbox::{self, DomainEvent};
use serde::Serialize;
use sqlx::AnyConnection;
use utoipa::ToSchema;

use crate::error::{Result, SocialError};
use crate::{feed, profiles, Social};
pub use store::{ACCEPTED, PENDING};

/// What social tells others when someone blocks someone.
pub const PERSON_BLOCKED: &str = "PersonBlocked";

/// Where a follow stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum FollowState {
    /// Not following, and nothing asked.
    None,
    /// Asked; the person has not approved yet.
    Pending,
    Accepted,
}

impl FollowState {
    pub(crate) fn from_stored(state: Option<String>) -> Self {
        match state.as_deref() {
            Some(ACCEPTED) => FollowState::Accepted,
            Some(PENDING) => FollowState::Pending,
            _ => FollowState::None,
        }
    }
}

impl Social {
    /// Follows `them`, or asks to when their profile is private.
    pub async fn follow(&self, me: &str, them: &str) -> Result<FollowState> {
        if me == them {
            return Err(SocialError::invalid("id", "you cannot follow yourself"));
        }
        self.existing(them).await?;
        let mut tx = self.platform.db.begin().await?;
        if store::blocked_either_way(&mut tx, me, them).await? {
            return Err(SocialError::NotFound);
        }
        if let Some(state) = store::follow_state(&mut tx, me, them).await? {
            return Ok(FollowState::from_stored(Some(state)));
        }
        let private = profiles::store::is_private(&mut tx, them).await?;
        let state = if private { PENDING } else { ACCEPTED };
        store::add_follow(&mut tx, me, them, state, now_ms()).await?;
        if private {
            tell(&mut tx, them, "follow_request", me, "Someone asked to follow you").await?;
        } else {
            tell(&mut tx, them, "follower", me, "You have a new follower").await?;
            feed::store::backfill(&mut tx, me, them).await?;
        }
        tx.commit().await?;
        Ok(FollowState::from_stored(Some(state.to_string())))
    }

    /// Stops following `them`, or withdraws the request.
    pub async fn unfollow(&self, me: &str, them: &str) -> Result<()> {
        let mut tx = self.platform.db.begin().await?;
        store::remove_follow(&mut tx, me, them).await?;
        feed::store::forget_author(&mut tx, me, them).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn approve(&self, me: &str, follower: &str) -> Result<()> {
        let mut tx = self.platform.db.begin().await?;
        if !store::accept(&mut tx, follower, me).await? {
            return Err(SocialError::NotFound);
        }
        tell(&mut tx, follower, "follow_approved", me, "Your request to follow was approved").await?;
        feed::store::backfill(&mut tx, follower, me).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn refuse(&self, me: &str, follower: &str) -> Result<()> {
        let mut tx = self.platform.db.begin().await?;
        if store::follow_state(&mut tx, follower, me).await?.as_deref() != Some(PENDING) {
            return Err(SocialError::NotFound);
        }
        store::remove_follow(&mut tx, follower, me).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Stops `follower` from following me; they are not told.
    pub async fn remove_follower(&self, me: &str, follower: &str) -> Result<()> {
        let mut tx = self.platform.db.begin().await?;
        if !store::remove_follow(&mut tx, follower, me).await? {
            return Err(SocialError::NotFound);
        }
        feed::store::forget_author(&mut tx, follower, me).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Blocks `them`: neither sees the other's profile, trainings, comments
    /// or messages, and every follow and request between them ends.
    pub async fn block(&self, me: &str, them: &str) -> Result<()> {
        if me == them {
            return Err(SocialError::invalid("id", "you cannot block yourself"));
        }
        self.existing(them).await?;
        let mut tx = self.platform.db.begin().await?;
        store::block(&mut tx, me, them, now_ms()).await?;
        for (a, b) in [(me, them), (them, me)] {
            store::remove_follow(&mut tx, a, b).await?;
            feed::store::forget_author(&mut tx, a, b).await?;
        }
        // Partners ends the two people's conversation and match.
        let facts = serde_json::json!({ "blocker_id": me, "blocked_id": them });
        let event = DomainEvent { kind: PERSON_BLOCKED, subject_id: them, user_id: me, payload: &facts };
        outbox::record(&mut tx, &event).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn unblock(&self, me: &str, them: &str) -> Result<()> {
        let mut tx = self.platform.db.begin().await?;
        if !store::unblock(&mut tx, me, them).await? {
            return Err(SocialError::NotFound);
        }
        tx.commit().await?;
        Ok(())
    }

    /// How `viewer` stands to `owner`: training's question for each workout.
    pub async fn standing(&self, viewer: &str, owner: &str) -> Result<(bool, bool)> {
        let mut conn = self.platform.db.read().await?;
        let blocked = store::blocked_either_way(&mut conn, viewer, owner).await?;
        let follows = store::follow_state(&mut conn, viewer, owner).await?.as_deref() == Some(ACCEPTED);
        Ok((follows, blocked))
    }

    /// Whom `user_id` follows (accepted), for other contexts' "people I follow".
    pub async fn followings(&self, user_id: &str) -> Result<Vec<String>> {
        let mut conn = self.platform.db.read().await?;
        store::people(&mut conn, user_id, false, ACCEPTED, "", i64::MAX).await
    }

    /// Whom `user_id` blocked and who blocked them: hidden from them everywhere.
    pub async fn blocked_around(&self, user_id: &str) -> Result<Vec<String>> {
        let mut conn = self.platform.db.read().await?;
        store::blocked_around(&mut conn, user_id).await
    }

    /// Someone who exists, asked of identity before any connection is taken.
    pub(crate) async fn existing(&self, user_id: &str) -> Result<platform::people::PublicProfile> {
        self.people.profile(user_id).await.map_err(SocialError::Internal)?.ok_or(SocialError::NotFound)
    }
}

/// Tells `user_id` what `actor` did, in the transaction of it.
pub(crate) async fn tell(conn: &mut AnyConnection, user_id: &str, kind: &str, actor: &str, title: &str) -> Result<()> {
    let notice = Notice {
        user_id,
        kind,
        subject_id: Some(actor),
        actor_id: Some(actor),
        title,
        data: serde_json::json!({ "user_id": actor }),
    };
    notify::request(conn, &notice).await?;
    Ok(())
}
