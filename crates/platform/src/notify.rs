//! Asking for a notification, from any context: an outbox event of kind
//! `NotificationRequested` in the transaction of the change, which the
//! notifications context stores and pushes. A context adds a kind of its
//! own by naming it here; nothing in notifications changes.

use serde::Serialize;
use sqlx::AnyConnection;

use crate::outbox::{self, DomainEvent};

pub const NOTIFICATION_REQUESTED: &str = "NotificationRequested";

/// What a person is told.
#[derive(Debug, Serialize)]
pub struct Notice<'a> {
    /// Whom to tell.
    pub user_id: &'a str,
    /// `export_ready`, `follow`, `comment`, …: lowercase words and `_`.
    pub kind: &'a str,
    /// What it is about (an export, a workout), if anything.
    pub subject_id: Option<&'a str>,
    /// Who did it, if somebody did.
    pub actor_id: Option<&'a str>,
    /// The notice in a sentence, for mail digests and clients that do not
    /// know the kind: "Your data export is ready".
    pub title: &'a str,
    /// The kind's own fields, for the client to word the notice.
    pub data: serde_json::Value,
}

/// Records the request within the caller's transaction.
pub async fn request(conn: &mut AnyConnection, notice: &Notice<'_>) -> Result<(), sqlx::Error> {
    let event = DomainEvent {
        kind: NOTIFICATION_REQUESTED,
        subject_id: notice.user_id,
        user_id: notice.user_id,
        payload: notice,
    };
    outbox::record(conn, &event).await
}
