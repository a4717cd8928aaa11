//! What partners asks the contexts around it about people: names and
//! pictures and where to mail them (identity), home areas, follows and
//! blocks (social), and handing a reported message to social's moderation
//! queue. The binary answers (`crates/athlos/src/server/partnering.rs`).

use futures::future::BoxFuture;
use platform::people::PublicProfile;

/// A message someone reported, as the moderators will see it.
pub struct MessageReport<'a> {
    pub reporter_id: &'a str,
    pub message_id: &'a str,
    pub author_id: &'a str,
    /// The text as it was when reported.
    pub text: &'a str,
    /// `spam`, `abuse`, `privacy` or `other`.
    pub reason: &'a str,
    pub details: &'a str,
}

/// Why a report was not taken.
#[derive(Debug)]
pub enum ReportRefused {
    /// The same person reported it already.
    Already(String),
    TooMany(String),
    /// Which field was wrong, as social names it, and why.
    Invalid {
        field: &'static str,
        detail: String,
    },
    Failed(String),
}

pub trait People: Send + Sync {
    /// The people among `ids` who have an account, in any order.
    fn profiles<'a>(&'a self, ids: &'a [String]) -> BoxFuture<'a, Result<Vec<PublicProfile>, String>>;

    /// The coarse home area on the person's social profile, if they set one.
    fn home_area<'a>(&'a self, user_id: &'a str) -> BoxFuture<'a, Result<Option<String>, String>>;

    /// Whom `user_id` blocked and who blocked them.
    fn blocked_around<'a>(&'a self, user_id: &'a str) -> BoxFuture<'a, Result<Vec<String>, String>>;

    /// Whether `a` and `b` follow each other (both follows accepted), and
    /// whether either blocked the other.
    fn standing<'a>(&'a self, a: &'a str, b: &'a str) -> BoxFuture<'a, Result<Standing, String>>;

    /// The address and name to mail a person at; none when the account is gone.
    fn address<'a>(&'a self, user_id: &'a str) -> BoxFuture<'a, Result<Option<(String, String)>, String>>;

    /// Files the report in the moderation queue.
    fn report<'a>(&'a self, report: MessageReport<'a>) -> BoxFuture<'a, Result<(), ReportRefused>>;
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Standing {
    pub follow_each_other: bool,
    pub blocked: bool,
}
