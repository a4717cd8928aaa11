//! Who may see a workout. Followers are the social context's to know; it
//! answers through [`Followers`]. Until it exists nobody follows anybody.

use futures::future::BoxFuture;

use crate::workouts::model::{Privacy, Workout};

pub trait Followers: Send + Sync {
    /// Whether `follower` follows `followed` (and was accepted).
    fn follows<'a>(&'a self, follower: &'a str, followed: &'a str) -> BoxFuture<'a, bool>;
}

/// The answer while there is no social context.
pub struct NoFollowers;

impl Followers for NoFollowers {
    fn follows<'a>(&'a self, _: &'a str, _: &'a str) -> BoxFuture<'a, bool> {
        Box::pin(async { false })
    }
}

/// Whether `viewer` (none: not logged in) may see `workout`.
pub async fn may_see(followers: &dyn Followers, viewer: Option<&str>, workout: &Workout) -> bool {
    match (workout.privacy, viewer) {
        (_, Some(viewer)) if viewer == workout.user_id => true,
        (Privacy::Public, _) => true,
        (Privacy::Followers, Some(viewer)) => followers.follows(viewer, &workout.user_id).await,
        _ => false,
    }
}
