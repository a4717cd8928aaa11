//! What social asks identity about people: who they are (name, picture),
//! finding them by name, and suspending an account a moderator decided to.
//! The binary answers with the identity context.

use futures::future::BoxFuture;
use platform::people::PublicProfile;

pub trait People: Send + Sync {
    /// The person, or none when there is no such account.
    fn profile<'a>(&'a self, user_id: &'a str) -> BoxFuture<'a, Result<Option<PublicProfile>, String>>;

    /// The people among `ids` who have an account, in any order.
    fn profiles<'a>(&'a self, ids: &'a [String]) -> BoxFuture<'a, Result<Vec<PublicProfile>, String>>;

    /// People whose name contains `words`, by name then id, after `after`
    /// (the last of the page before).
    fn search<'a>(
        &'a self,
        words: &'a str,
        after: Option<(&'a str, &'a str)>,
        limit: u32,
    ) -> BoxFuture<'a, Result<Vec<PublicProfile>, String>>;

    /// Suspends the account and ends its sessions.
    fn suspend<'a>(&'a self, moderator_id: &'a str, user_id: &'a str) -> BoxFuture<'a, Result<(), String>>;
}
