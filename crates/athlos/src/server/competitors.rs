//! Identity and social answering competition's questions about people:
//! the facts a board is filtered by, whom someone follows and who is
//! blocked, names and pictures.

use competition::people::{EntrantFacts, People};
use futures::future::BoxFuture;
use identity::Identity;
use platform::people::PublicProfile;
use social::Social;

pub struct Competitors {
    pub identity: Identity,
    pub social: Social,
}

impl People for Competitors {
    fn facts<'a>(&'a self, user_id: &'a str) -> BoxFuture<'a, Result<EntrantFacts, String>> {
        Box::pin(async move {
            let told = self.identity.athlete_facts(user_id).await.map_err(|e| e.to_string())?.unwrap_or_default();
            let profile = self.social.my_profile(user_id).await.map_err(|e| e.to_string())?;
            Ok(EntrantFacts {
                sex: told.sex,
                birth_year: told.birth_year,
                weight_kg: told.weight_kg,
                home_area: profile.home_area,
            })
        })
    }

    fn followings<'a>(&'a self, user_id: &'a str) -> BoxFuture<'a, Result<Vec<String>, String>> {
        Box::pin(async move { self.social.followings(user_id).await.map_err(|e| e.to_string()) })
    }

    fn blocked_around<'a>(&'a self, user_id: &'a str) -> BoxFuture<'a, Result<Vec<String>, String>> {
        Box::pin(async move { self.social.blocked_around(user_id).await.map_err(|e| e.to_string()) })
    }

    fn profiles<'a>(&'a self, ids: &'a [String]) -> BoxFuture<'a, Result<Vec<PublicProfile>, String>> {
        Box::pin(async move { self.identity.public_profiles(ids).await.map_err(|e| e.to_string()) })
    }
}
