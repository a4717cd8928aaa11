//! Delivery and read receipts, and typing.

use serde::Deserialize;
use utoipa::ToSchema;

use super::store;
use crate::error::{PartnersError, Result};
use crate::live::{CHAT_RECEIPT, CHAT_TYPING};
use crate::Partners;

/// Up to which `seq` I received and read the other person's messages.
/// Receipts only move forward; reading implies receiving.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Receipts {
    #[serde(default)]
    #[schema(minimum = 0)]
    pub delivered: Option<i64>,
    #[serde(default)]
    #[schema(minimum = 0)]
    pub read: Option<i64>,
}

impl Partners {
    pub async fn receipts(&self, me: &str, conversation_id: &str, receipts: Receipts) -> Result<()> {
        for (field, seq) in [("delivered", receipts.delivered), ("read", receipts.read)] {
            if seq.is_some_and(|s| s < 0) {
                return Err(PartnersError::invalid(field, "a receipt is a message's seq, 0 or more"));
            }
        }
        let conversation = self.member_of(me, conversation_id).await?;
        // Nobody receives a message that was not sent yet.
        let clamp = |x: Option<i64>| x.unwrap_or(0).clamp(0, conversation.last_seq);
        let read = clamp(receipts.read);
        let delivered = clamp(receipts.delivered).max(read);
        let mut tx = self.platform.db.begin().await?;
        let (delivered_seq, read_seq) = store::advance(&mut tx, &conversation.id, me, delivered, read).await?;
        tx.commit().await?;
        let data = serde_json::json!({
            "conversation_id": conversation.id, "user_id": me,
            "delivered_seq": delivered_seq, "read_seq": read_seq,
        });
        self.tell(&[&conversation.a_id, &conversation.b_id], CHAT_RECEIPT, data).await;
        Ok(())
    }

    /// Tells the other person the caller is typing; nothing is stored.
    pub async fn typing(&self, me: &str, conversation_id: &str) -> Result<()> {
        let conversation = self.member_of(me, conversation_id).await?;
        if conversation.ended_at.is_none() {
            let data = serde_json::json!({ "conversation_id": conversation.id, "user_id": me });
            self.tell(&[conversation.other(me)], CHAT_TYPING, data).await;
        }
        Ok(())
    }
}
