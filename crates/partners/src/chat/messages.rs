//! Sending, reading back, deleting and reporting messages.

use platform::db::now_ms;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{store, HistoryQuery, Message, Stored};
use crate::error::{PartnersError, Result};
use crate::live::{CHAT_MESSAGE, CHAT_MESSAGE_DELETED};
use crate::people::{MessageReport, ReportRefused};
use crate::{swipes, Partners};

pub const MAX_CHARS: usize = 4_000;
/// Messages one person may send in a minute.
pub const PER_MINUTE: i64 = 30;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMessage {
    /// Made by the client (a UUID): sending again with it returns the first message.
    #[schema(min_length = 1, max_length = 64)]
    pub client_id: String,
    /// 1 to 4 000 characters.
    #[schema(min_length = 1, max_length = 4000)]
    pub body: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryPage {
    /// Newest first.
    pub messages: Vec<Message>,
    /// Pass as `before` for older messages; none at the beginning.
    pub next_before: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMessageReport {
    /// `spam`, `abuse`, `privacy` or `other`.
    #[schema(pattern = "^(spam|abuse|privacy|other)$")]
    pub reason: String,
    /// At most 1 000 characters.
    #[serde(default)]
    #[schema(max_length = 1000)]
    pub details: String,
}

impl NewMessage {
    fn checked(self) -> Result<Self> {
        if self.body.chars().count() > MAX_CHARS {
            return Err(PartnersError::invalid("body", "a message is at most 4 000 characters"));
        }
        let client_id = self.client_id.trim().to_string();
        if client_id.is_empty() || self.client_id.chars().count() > 64 {
            return Err(PartnersError::invalid("client_id", "client_id is 1 to 64 characters, such as a UUID"));
        }
        let body = self.body.trim().to_string();
        if body.is_empty() {
            return Err(PartnersError::invalid("body", "write something first"));
        }
        Ok(Self { client_id, body })
    }
}

impl Partners {
    pub async fn send(&self, me: &str, conversation_id: &str, new: NewMessage) -> Result<Message> {
        let new = new.checked()?;
        let conversation = self.member_of(me, conversation_id).await?;
        let them = conversation.other(me).to_string();
        let standing = self.people.standing(me, &them).await.map_err(PartnersError::Internal)?;
        let mut tx = self.platform.db.begin().await?;
        if let Some(sent) = store::message_by_client(&mut tx, me, &new.client_id).await? {
            return if sent.conversation_id == conversation.id { Ok(sent) } else { Err(reused()) };
        }
        if conversation.ended_at.is_some() || standing.blocked {
            return Err(ended());
        }
        if !standing.follow_each_other && !swipes::store::matched(&mut tx, me, &them).await? {
            return Err(PartnersError::ChatNotAllowed(
                "you can no longer write here: you do not follow each other any more, nor are you matched".into(),
            ));
        }
        let now = now_ms();
        // Numbering takes the conversation's turn: what follows sees every
        // send before it, so neither a retry nor the rate limit races.
        let Some(seq) = store::next_seq(&mut tx, &conversation.id, now).await? else { return Err(ended()) };
        if let Some(sent) = store::message_by_client(&mut tx, me, &new.client_id).await? {
            tx.rollback().await?;
            return if sent.conversation_id == conversation.id { Ok(sent) } else { Err(reused()) };
        }
        if store::sent_since(&mut tx, me, now - 60_000).await? >= PER_MINUTE {
            return Err(PartnersError::TooMany(format!("you sent {PER_MINUTE} messages this minute; wait a little")));
        }
        let message = Message {
            id: uuid::Uuid::now_v7().to_string(),
            conversation_id: conversation.id.clone(),
            seq,
            sender_id: me.to_string(),
            body: new.body,
            sent_at: platform::db::rfc3339(now),
            deleted: false,
        };
        if !store::add_message(&mut tx, &message, &new.client_id, now).await? {
            // The same client id went in a moment ago, through another request.
            tx.rollback().await?;
            let mut conn = self.platform.db.pool().acquire().await?;
            let sent = store::message_by_client(&mut conn, me, &new.client_id).await?.ok_or(PartnersError::NotFound)?;
            return if sent.conversation_id == conversation.id { Ok(sent) } else { Err(reused()) };
        }
        tx.commit().await?;
        let data = serde_json::json!({ "conversation_id": conversation.id, "message": message });
        self.tell(&[me, &them], CHAT_MESSAGE, data).await;
        Ok(message)
    }

    pub async fn history(&self, me: &str, conversation_id: &str, query: HistoryQuery) -> Result<HistoryPage> {
        let limit = query.limit.unwrap_or(50);
        if !(1..=100).contains(&limit) {
            return Err(PartnersError::invalid("limit", "the limit is 1 to 100"));
        }
        if query.before.is_some_and(|b| b < 1) {
            return Err(PartnersError::invalid("before", "before is a message's seq, 1 or more"));
        }
        let conversation = self.member_of(me, conversation_id).await?;
        let before = query.before.unwrap_or(i64::MAX);
        let mut conn = self.platform.db.pool().acquire().await?;
        let mut messages = store::history(&mut conn, &conversation.id, before, limit as i64 + 1).await?;
        let next_before = (messages.len() > limit as usize).then(|| {
            messages.truncate(limit as usize);
            messages.last().map(|m| m.seq).unwrap_or(0)
        });
        Ok(HistoryPage { messages, next_before })
    }

    /// Deletes one's own message: its text goes, for both.
    pub async fn delete_message(&self, me: &str, conversation_id: &str, message_id: &str) -> Result<()> {
        let conversation = self.member_of(me, conversation_id).await?;
        let mut tx = self.platform.db.begin().await?;
        let message = store::message(&mut tx, &conversation.id, message_id).await?;
        let message = message.filter(|m| m.sender_id == me && !m.deleted).ok_or(PartnersError::NotFound)?;
        store::delete_message(&mut tx, &message.id).await?;
        tx.commit().await?;
        self.tell_deleted(&conversation, &message.id).await;
        Ok(())
    }

    pub(crate) async fn tell_deleted(&self, conversation: &Stored, message_id: &str) {
        let data = serde_json::json!({ "conversation_id": conversation.id, "message_id": message_id });
        self.tell(&[&conversation.a_id, &conversation.b_id], CHAT_MESSAGE_DELETED, data).await;
    }

    /// Hands the other person's message to the moderators.
    pub async fn report_message(
        &self,
        me: &str,
        conversation_id: &str,
        message_id: &str,
        new: NewMessageReport,
    ) -> Result<()> {
        let conversation = self.member_of(me, conversation_id).await?;
        let message = {
            let mut conn = self.platform.db.pool().acquire().await?;
            store::message(&mut conn, &conversation.id, message_id).await?
        };
        let message = message.filter(|m| !m.deleted).ok_or(PartnersError::NotFound)?;
        if message.sender_id == me {
            return Err(PartnersError::invalid("message_id", "you cannot report your own message"));
        }
        let report = MessageReport {
            reporter_id: me,
            message_id: &message.id,
            author_id: &message.sender_id,
            text: &message.body,
            reason: &new.reason,
            details: &new.details,
        };
        self.people.report(report).await.map_err(|refused| match refused {
            ReportRefused::Already(m) => PartnersError::Conflict(m),
            ReportRefused::TooMany(m) => PartnersError::TooMany(m),
            ReportRefused::Invalid { field, detail } => PartnersError::invalid(field, detail),
            ReportRefused::Failed(m) => PartnersError::Internal(m),
        })
    }
}

fn ended() -> PartnersError {
    PartnersError::Conflict("this conversation has ended; nothing more can be sent in it".into())
}

fn reused() -> PartnersError {
    PartnersError::invalid("client_id", "this client_id was used for a message in another conversation")
}
