//! Chat: one conversation per pair of people who follow each other or
//! matched. Messages are numbered per conversation (`seq`); receipts say up
//! to which number each side received and read the other's messages.

mod messages;
mod receipts;
pub(crate) mod store;

use std::collections::HashMap;

use platform::db::{now_ms, rfc3339};
use platform::people::PublicProfile;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::{PartnersError, Result};
use crate::people::Standing;
use crate::{swipes, Partners};

pub use messages::{HistoryPage, NewMessage, NewMessageReport};
pub use receipts::Receipts;

/// The other person of a conversation.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Person {
    pub user_id: String,
    /// "" when the account is gone.
    pub display_name: String,
    pub avatar_url: Option<String>,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Message {
    pub id: String,
    pub conversation_id: String,
    /// 1, 2, 3 … within the conversation.
    pub seq: i64,
    pub sender_id: String,
    /// "" once deleted.
    pub body: String,
    pub sent_at: String,
    pub deleted: bool,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Conversation {
    pub id: String,
    pub with: Person,
    /// Opened by a match (an unmatch ends it).
    pub via_match: bool,
    /// Nothing more can be sent.
    pub ended: bool,
    pub created_at: String,
    pub last_message: Option<Message>,
    /// The other person's messages I have not read.
    pub unread: i64,
    /// The newest message's `seq` (0 when there is none).
    pub last_seq: i64,
    /// Up to where I read theirs.
    pub read_seq: i64,
    /// Up to where they received and read mine.
    pub their_delivered_seq: i64,
    pub their_read_seq: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Opening {
    /// Whom to talk to.
    #[schema(max_length = 64)]
    pub user_id: String,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct HistoryQuery {
    /// A `seq`: messages before it (the page's `next_before`).
    #[param(minimum = 1)]
    pub before: Option<i64>,
    /// 1 to 100; 50 by default.
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
}

/// A conversation as stored, with both sides' receipts.
#[derive(Clone, Debug)]
pub struct Stored {
    pub id: String,
    pub a_id: String,
    pub b_id: String,
    pub via_match: bool,
    pub ended_at: Option<i64>,
    pub created_at: i64,
    pub last_seq: i64,
}

impl Stored {
    pub fn has(&self, user_id: &str) -> bool {
        self.a_id == user_id || self.b_id == user_id
    }

    pub fn other(&self, me: &str) -> &str {
        if self.a_id == me {
            &self.b_id
        } else {
            &self.a_id
        }
    }
}

/// A conversation listed for one of its people.
#[derive(Clone, Debug)]
pub struct Listed {
    pub stored: Stored,
    pub last_message: Option<Message>,
    pub unread: i64,
    pub read_seq: i64,
    pub their_delivered_seq: i64,
    pub their_read_seq: i64,
}

/// The two ids in the order rows keep them.
pub fn pair<'a>(x: &'a str, y: &'a str) -> (&'a str, &'a str) {
    if x < y {
        (x, y)
    } else {
        (y, x)
    }
}

impl Partners {
    /// Opens the conversation with `them` (or finds it, reopening one that
    /// ended once they may talk again).
    pub async fn open_conversation(&self, me: &str, them: &str) -> Result<Conversation> {
        if me == them {
            return Err(PartnersError::invalid("user_id", "you cannot start a conversation with yourself"));
        }
        let standing = self.standing(me, them).await?;
        let mut tx = self.platform.db.begin().await?;
        let matched = swipes::store::matched(&mut tx, me, them).await?;
        if !standing.follow_each_other && !matched {
            return Err(PartnersError::ChatNotAllowed(
                "you can write to people who follow you and whom you follow, and to your training partner matches"
                    .into(),
            ));
        }
        let conversation = store::open(&mut tx, me, them, matched, now_ms()).await?;
        tx.commit().await?;
        self.conversation(me, &conversation.id).await
    }

    /// How `me` stands to `them`; someone blocked either way, or who has no
    /// account, is not found.
    pub(crate) async fn standing(&self, me: &str, them: &str) -> Result<Standing> {
        let standing = self.people.standing(me, them).await.map_err(PartnersError::Internal)?;
        let exists = !self.people.profiles(&[them.to_string()]).await.map_err(PartnersError::Internal)?.is_empty();
        if standing.blocked || !exists {
            return Err(PartnersError::NotFound);
        }
        Ok(standing)
    }

    pub async fn conversations(&self, me: &str) -> Result<Vec<Conversation>> {
        let listed = {
            let mut conn = self.platform.db.pool().acquire().await?;
            store::list(&mut conn, me, None).await?
        };
        self.shown(me, listed).await
    }

    pub async fn conversation(&self, me: &str, id: &str) -> Result<Conversation> {
        let listed = {
            let mut conn = self.platform.db.pool().acquire().await?;
            store::list(&mut conn, me, Some(id)).await?
        };
        self.shown(me, listed).await?.into_iter().next().ok_or(PartnersError::NotFound)
    }

    async fn shown(&self, me: &str, listed: Vec<Listed>) -> Result<Vec<Conversation>> {
        let ids: Vec<String> = listed.iter().map(|l| l.stored.other(me).to_string()).collect();
        let profiles: HashMap<String, PublicProfile> = self
            .people
            .profiles(&ids)
            .await
            .map_err(PartnersError::Internal)?
            .into_iter()
            .map(|p| (p.id.clone(), p))
            .collect();
        Ok(listed
            .into_iter()
            .map(|l| {
                let other = l.stored.other(me).to_string();
                let profile = profiles.get(&other);
                Conversation {
                    with: Person {
                        display_name: profile.map(|p| p.display_name.clone()).unwrap_or_default(),
                        avatar_url: profile.and_then(|p| p.avatar_url.clone()),
                        user_id: other,
                    },
                    id: l.stored.id,
                    via_match: l.stored.via_match,
                    ended: l.stored.ended_at.is_some(),
                    created_at: rfc3339(l.stored.created_at),
                    last_message: l.last_message,
                    unread: l.unread,
                    last_seq: l.stored.last_seq,
                    read_seq: l.read_seq,
                    their_delivered_seq: l.their_delivered_seq,
                    their_read_seq: l.their_read_seq,
                }
            })
            .collect())
    }

    /// The caller's conversation, or not found.
    pub(crate) async fn member_of(&self, me: &str, id: &str) -> Result<Stored> {
        let mut conn = self.platform.db.pool().acquire().await?;
        store::get(&mut conn, id).await?.filter(|c| c.has(me)).ok_or(PartnersError::NotFound)
    }

    /// Ends a conversation for both and tells them; nothing when it had ended.
    pub(crate) async fn announce_ended(&self, conversation: &Stored) {
        let data = serde_json::json!({ "conversation_id": conversation.id });
        self.tell(&[&conversation.a_id, &conversation.b_id], crate::live::CONVERSATION_ENDED, data).await;
    }
}
