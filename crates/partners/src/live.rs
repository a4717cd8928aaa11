//! What partners says live: everything goes to the `user:<id>` topics of
//! the people concerned, so each of their devices hears it, on every
//! replica through the fan-out. Published after the change committed.

use crate::Partners;

pub const CHAT_MESSAGE: &str = "ChatMessage";
pub const CHAT_MESSAGE_DELETED: &str = "ChatMessageDeleted";
pub const CHAT_RECEIPT: &str = "ChatReceipt";
pub const CHAT_TYPING: &str = "ChatTyping";
pub const CONVERSATION_ENDED: &str = "ConversationEnded";
pub const PARTNER_MATCHED: &str = "PartnerMatched";

impl Partners {
    pub(crate) async fn tell(&self, people: &[&str], kind: &str, data: serde_json::Value) {
        for person in people {
            self.platform.realtime.publish(&format!("user:{person}"), kind, data.clone()).await;
        }
    }
}
