//! What competition asks the contexts around it about people: the facts a
//! board is filtered by (identity's sex, birth year and weight, social's
//! coarse home area), whom a viewer follows and who is blocked either way,
//! and names and pictures for the board. The binary answers.

use futures::future::BoxFuture;
use platform::people::PublicProfile;

/// What an entry is filtered by, as the person told it; all optional.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EntrantFacts {
    pub sex: Option<String>,
    pub birth_year: Option<i32>,
    pub weight_kg: Option<f64>,
    /// A geohash of a few kilometres, never a precise place.
    pub home_area: Option<String>,
}

pub trait People: Send + Sync {
    fn facts<'a>(&'a self, user_id: &'a str) -> BoxFuture<'a, Result<EntrantFacts, String>>;

    /// Whom `user_id` follows (accepted follows only).
    fn followings<'a>(&'a self, user_id: &'a str) -> BoxFuture<'a, Result<Vec<String>, String>>;

    /// Whom `user_id` blocked and who blocked them.
    fn blocked_around<'a>(&'a self, user_id: &'a str) -> BoxFuture<'a, Result<Vec<String>, String>>;

    /// The people among `ids` who have an account, in any order.
    fn profiles<'a>(&'a self, ids: &'a [String]) -> BoxFuture<'a, Result<Vec<PublicProfile>, String>>;
}
