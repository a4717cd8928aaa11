//! Who may see a workout. Who follows and who blocked whom are the social
//! context's to know; it answers through [`Followers`], which the binary
//! wires in. Without it nobody follows anybody.

use futures::future::BoxFuture;

use crate::workouts::model::{Privacy, Workout};

pub trait Followers: Send + Sync {
    /// How `viewer` stands to `owner`.
    fn standing<'a>(&'a self, viewer: &'a str, owner: &'a str) -> BoxFuture<'a, Standing>;
}

/// What of two people's relation decides what one sees of the other's.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Standing {
    /// The viewer follows the owner, and was accepted.
    pub follows: bool,
    /// One of them blocked the other: neither sees anything of the other.
    pub blocked: bool,
}

/// The answer while there is no social context.
pub struct NoFollowers;

impl Followers for NoFollowers {
    fn standing<'a>(&'a self, _: &'a str, _: &'a str) -> BoxFuture<'a, Standing> {
        Box::pin(async { Standing::default() })
    }
}

/// Whether `viewer` (none: not logged in) may see `workout`.
pub async fn may_see(followers: &dyn Followers, viewer: Option<&str>, workout: &Workout) -> bool {
    let Some(viewer) = viewer else { return workout.privacy == Privacy::Public };
    if viewer == workout.user_id {
        return true;
    }
    if workout.privacy == Privacy::Private {
        return false;
    }
    let standing = followers.standing(viewer, &workout.user_id).await;
    !standing.blocked && (workout.privacy == Privacy::Public || standing.follows)
}
