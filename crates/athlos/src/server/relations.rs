//! Social and the contexts around it answering each other: identity tells
//! social who people are, finds them by name and suspends accounts; social
//! tells training who follows and who blocked whom. The seams, here so that
//! no context depends on another.

use futures::future::BoxFuture;
use identity::Identity;
use platform::people::PublicProfile;
use social::Social;
use training::visibility::{Followers, Standing};

/// Identity's accounts, as social's [`social::people::People`].
pub struct Accounts(pub Identity);

impl social::people::People for Accounts {
    fn profile<'a>(&'a self, user_id: &'a str) -> BoxFuture<'a, Result<Option<PublicProfile>, String>> {
        Box::pin(async move { self.0.public_profile(user_id).await.map_err(|e| e.to_string()) })
    }

    fn profiles<'a>(&'a self, ids: &'a [String]) -> BoxFuture<'a, Result<Vec<PublicProfile>, String>> {
        Box::pin(async move { self.0.public_profiles(ids).await.map_err(|e| e.to_string()) })
    }

    fn search<'a>(
        &'a self,
        words: &'a str,
        after: Option<(&'a str, &'a str)>,
        limit: u32,
    ) -> BoxFuture<'a, Result<Vec<PublicProfile>, String>> {
        Box::pin(async move { self.0.search_people(words, after, limit).await.map_err(|e| e.to_string()) })
    }

    fn suspend<'a>(&'a self, moderator_id: &'a str, user_id: &'a str) -> BoxFuture<'a, Result<(), String>> {
        Box::pin(async move { self.0.set_suspended(moderator_id, user_id, true).await.map_err(|e| e.to_string()) })
    }
}

/// Social's follows and blocks, as training's [`Followers`]. A failure to
/// ask counts as no follow and a block: nothing is shown that should not be.
pub struct Relations(pub Social);

impl Followers for Relations {
    fn standing<'a>(&'a self, viewer: &'a str, owner: &'a str) -> BoxFuture<'a, Standing> {
        Box::pin(async move {
            match self.0.standing(viewer, owner).await {
                Ok((follows, blocked)) => Standing { follows, blocked },
                Err(e) => {
                    tracing::warn!(error = %e, "who follows whom could not be asked; showing only public trainings");
                    Standing { follows: false, blocked: true }
                }
            }
        })
    }
}
