//! Swipes and matches: a yes or a no on someone in one's deck; a yes from
//! both sides is a match, which tells both and opens a conversation.
//! Undoing the last swipe takes back the match it made; unmatching ends it,
//! and the conversation it opened, for both.

pub(crate) mod store;

use std::collections::HashMap;

use platform::db::{now_ms, rfc3339};
use platform::notify::{self, Notice};
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;
use utoipa::ToSchema;

use crate::chat::{self, Person};
use crate::error::{PartnersError, Result};
use crate::finder;
use crate::live::PARTNER_MATCHED;
use crate::{mail, settings, Partners};

/// Swipes one person may make in an hour.
pub const PER_HOUR: i64 = 300;
/// How long a swipe can be taken back.
pub const UNDO_WITHIN_MS: i64 = 3600 * 1000;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSwipe {
    #[schema(max_length = 64)]
    pub user_id: String,
    pub yes: bool,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Match {
    pub with: Person,
    pub matched_at: String,
    /// The conversation the match opened.
    pub conversation_id: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Swiped {
    pub matched: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#match: Option<Match>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Undone {
    /// Whose swipe was taken back: they are back in the deck.
    pub user_id: String,
    pub yes: bool,
    /// Whether a match was taken back with it.
    pub unmatched: bool,
}

/// A swipe as stored.
#[derive(Clone, Debug)]
pub struct StoredSwipe {
    pub id: String,
    pub swiper_id: String,
    pub target_id: String,
    pub yes: bool,
    pub created_at: i64,
}

impl Partners {
    pub async fn swipe(&self, me: &str, new: NewSwipe) -> Result<Swiped> {
        if new.user_id == me {
            return Err(PartnersError::NotFound);
        }
        // Blocked either way, or gone: not in anyone's deck.
        self.standing(me, &new.user_id).await?;
        let names =
            self.people.profiles(&[me.to_string(), new.user_id.clone()]).await.map_err(PartnersError::Internal)?;
        let now = now_ms();
        let mut tx = self.platform.db.begin().await?;
        if !finder::store::is_seeking(&mut tx, me).await? {
            return Err(PartnersError::NotOptedIn);
        }
        if !finder::store::is_seeking(&mut tx, &new.user_id).await? {
            return Err(PartnersError::NotFound);
        }
        if store::made_since(&mut tx, me, now - 3600 * 1000).await? >= PER_HOUR {
            return Err(PartnersError::TooMany(format!("you swiped {PER_HOUR} times this hour; come back later")));
        }
        store::take_turn(&mut tx, me, &new.user_id).await?;
        let swipe = StoredSwipe {
            id: uuid::Uuid::now_v7().to_string(),
            swiper_id: me.to_string(),
            target_id: new.user_id.clone(),
            yes: new.yes,
            created_at: now,
        };
        if !store::add(&mut tx, &swipe).await? {
            return Err(PartnersError::Conflict("you swiped this person already".into()));
        }
        if !new.yes || !store::said_yes(&mut tx, &new.user_id, me).await? {
            tx.commit().await?;
            return Ok(Swiped { matched: false, r#match: None });
        }
        store::add_match(&mut tx, me, &new.user_id, now).await?;
        let conversation = chat::store::open(&mut tx, me, &new.user_id, true, now).await?;
        let name = |id: &str| names.iter().find(|p| p.id == id).map(|p| p.display_name.clone()).unwrap_or_default();
        for (person, other) in [(me, new.user_id.as_str()), (new.user_id.as_str(), me)] {
            tell_matched(&mut tx, person, other, &name(other), &conversation.id).await?;
            if settings::store::get(&mut tx, person).await?.mail_matches {
                mail::queue_match_mail(&self.platform, &mut tx, person, other).await?;
            }
        }
        tx.commit().await?;
        let shown = |other: &str| Match {
            with: person(&names, other),
            matched_at: rfc3339(now),
            conversation_id: Some(conversation.id.clone()),
        };
        self.tell(&[&new.user_id], PARTNER_MATCHED, serde_json::json!({ "match": shown(me) })).await;
        self.tell(&[me], PARTNER_MATCHED, serde_json::json!({ "match": shown(&new.user_id) })).await;
        Ok(Swiped { matched: true, r#match: Some(shown(&new.user_id)) })
    }

    /// Takes back the caller's last swipe, if it was made in the last hour.
    pub async fn undo_swipe(&self, me: &str) -> Result<Undone> {
        let now = now_ms();
        let mut tx = self.platform.db.begin().await?;
        let last = store::last(&mut tx, me).await?.filter(|s| s.created_at >= now - UNDO_WITHIN_MS);
        let last = last.ok_or(PartnersError::NotFound)?;
        store::take_turn(&mut tx, me, &last.target_id).await?;
        if !store::remove(&mut tx, &last.id).await? {
            return Err(PartnersError::NotFound);
        }
        let unmatched = store::remove_match(&mut tx, me, &last.target_id).await?;
        let ended = if unmatched { end_match_conversation(&mut tx, me, &last.target_id, now).await? } else { None };
        tx.commit().await?;
        if let Some(conversation) = ended {
            self.announce_ended(&conversation).await;
        }
        Ok(Undone { user_id: last.target_id, yes: last.yes, unmatched })
    }

    pub async fn matches(&self, me: &str) -> Result<Vec<Match>> {
        let found = {
            let mut conn = self.platform.db.pool().acquire().await?;
            store::matches_of(&mut conn, me).await?
        };
        let ids: Vec<String> = found.iter().map(|(other, _, _)| other.clone()).collect();
        let names = self.people.profiles(&ids).await.map_err(PartnersError::Internal)?;
        Ok(found
            .into_iter()
            .filter(|(other, _, _)| names.iter().any(|p| &p.id == other))
            .map(|(other, at, conversation_id)| Match {
                with: person(&names, &other),
                matched_at: rfc3339(at),
                conversation_id,
            })
            .collect())
    }

    /// Ends a match, and the conversation it opened, for both.
    pub async fn unmatch(&self, me: &str, them: &str) -> Result<()> {
        let mut tx = self.platform.db.begin().await?;
        store::take_turn(&mut tx, me, them).await?;
        if !store::remove_match(&mut tx, me, them).await? {
            return Err(PartnersError::NotFound);
        }
        let ended = end_match_conversation(&mut tx, me, them, now_ms()).await?;
        tx.commit().await?;
        if let Some(conversation) = ended {
            self.announce_ended(&conversation).await;
        }
        Ok(())
    }
}

/// The conversation a match opened, removed if nobody wrote in it and ended
/// otherwise; the one ended, to tell its people.
pub(crate) async fn end_match_conversation(
    conn: &mut AnyConnection,
    x: &str,
    y: &str,
    now: i64,
) -> Result<Option<chat::Stored>> {
    let Some(conversation) = chat::store::between(conn, x, y).await?.filter(|c| c.via_match) else {
        return Ok(None);
    };
    if chat::store::remove_if_empty(conn, &conversation.id).await?
        || chat::store::end(conn, &conversation.id, now).await?
    {
        return Ok(Some(conversation));
    }
    Ok(None)
}

async fn tell_matched(
    conn: &mut AnyConnection,
    person: &str,
    other: &str,
    name: &str,
    conversation: &str,
) -> Result<()> {
    let title = if name.is_empty() {
        "You have a new training partner match".to_string()
    } else {
        format!("You and {name} want to train together")
    };
    let notice = Notice {
        user_id: person,
        kind: "partner_match",
        subject_id: Some(conversation),
        actor_id: Some(other),
        title: &title,
        data: serde_json::json!({ "conversation_id": conversation, "user_id": other }),
    };
    notify::request(conn, &notice).await?;
    Ok(())
}

fn person(names: &[platform::people::PublicProfile], id: &str) -> Person {
    let by_id: HashMap<&str, &platform::people::PublicProfile> = names.iter().map(|p| (p.id.as_str(), p)).collect();
    let profile = by_id.get(id);
    Person {
        user_id: id.to_string(),
        display_name: profile.map(|p| p.display_name.clone()).unwrap_or_default(),
        avatar_url: profile.and_then(|p| p.avatar_url.clone()),
    }
}
