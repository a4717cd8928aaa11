//! What a person sees of their notifications, and how they want each kind.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Notification {
    pub id: String,
    /// `export_ready`, …: what happened.
    pub kind: String,
    pub subject_id: Option<String>,
    pub actor_id: Option<String>,
    /// The notice in a sentence.
    pub title: String,
    /// The kind's own fields.
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
    pub read: bool,
    /// UTC, RFC 3339.
    pub created_at: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct NotificationPage {
    /// Newest first.
    pub items: Vec<Notification>,
    /// Pass as `cursor` for the next page; none on the last page.
    pub next_cursor: Option<String>,
    /// How many are unread, of all the person's notifications.
    pub unread: i64,
}

/// Where a kind of notice goes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    /// In the app (the default).
    #[default]
    App,
    /// In the app, and in a daily mail of what stayed unread.
    Digest,
    /// Not kept at all.
    Off,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::App => "app",
            Channel::Digest => "digest",
            Channel::Off => "off",
        }
    }

    pub fn parse(stored: &str) -> Self {
        match stored {
            "digest" => Channel::Digest,
            "off" => Channel::Off,
            _ => Channel::App,
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Preference {
    pub kind: String,
    pub channel: Channel,
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct PreferenceChange {
    pub channel: Channel,
}

/// A kind is lowercase words joined by `_`, at most 64 characters.
pub fn valid_kind(kind: &str) -> bool {
    !kind.is_empty()
        && kind.len() <= 64
        && kind.starts_with(|c: char| c.is_ascii_lowercase())
        && kind.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}
