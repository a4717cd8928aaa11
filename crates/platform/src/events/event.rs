//! The envelope every bus carries: the outbox row, as JSON.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::HandlerError;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// The outbox row's id (UUIDv7): what inboxes and dead letters key on.
    pub id: String,
    /// `UserDeleted`, `WorkoutRecorded`, …
    pub kind: String,
    /// The thing it is about; events about one subject arrive in order.
    pub subject_id: String,
    /// Whose change it was.
    pub user_id: String,
    pub payload: serde_json::Value,
    /// When it was recorded, in milliseconds since the epoch.
    pub created_at: i64,
}

impl Event {
    /// The payload in the shape the producer wrote it.
    pub fn payload<T: DeserializeOwned>(&self) -> Result<T, HandlerError> {
        serde_json::from_value(self.payload.clone())
            .map_err(|e| HandlerError::new(format!("the payload of {} {} is not readable: {e}", self.kind, self.id)))
    }

    pub fn to_json(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("an event always serialises")
    }

    pub fn from_json(bytes: &[u8]) -> Result<Self, serde_json::Error> {
        serde_json::from_slice(bytes)
    }
}
