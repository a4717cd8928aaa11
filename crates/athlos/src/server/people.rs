//! Identity answering training's questions about people: the seam between
//! the two contexts, here so that neither depends on the other.

use futures::future::BoxFuture;
use identity::{Identity, IdentityError};
use notifications::Addresses;
use platform::people::PublicProfile;
use training::people::{People, PeopleError, Preferences};

/// Identity's accounts, as training's [`People`].
pub struct Accounts(pub Identity);

impl People for Accounts {
    fn preferences<'a>(&'a self, user_id: &'a str) -> BoxFuture<'a, Result<Preferences, PeopleError>> {
        Box::pin(async move {
            let chosen = self.0.preferences(user_id).await.map_err(asked)?;
            Ok(Preferences { default_privacy: chosen.default_privacy, language: chosen.language })
        })
    }

    fn public_profile<'a>(&'a self, user_id: &'a str) -> BoxFuture<'a, Result<Option<PublicProfile>, PeopleError>> {
        Box::pin(async move { self.0.public_profile(user_id).await.map_err(asked) })
    }
}

/// Where notifications mails a person's digest.
impl Addresses for Accounts {
    fn address<'a>(&'a self, user_id: &'a str) -> BoxFuture<'a, Result<Option<(String, String)>, String>> {
        Box::pin(async move {
            match self.0.user(user_id).await {
                Ok(user) => Ok(Some((user.email, user.display_name))),
                Err(IdentityError::NotFound) => Ok(None),
                Err(e) => Err(e.to_string()),
            }
        })
    }
}

/// A database failure stays one (a crowd at the pool is a 503); anything
/// else is the server's.
fn asked(e: IdentityError) -> PeopleError {
    match e {
        IdentityError::Sql(e) => PeopleError::Database(e),
        other => PeopleError::Other(other.to_string()),
    }
}
