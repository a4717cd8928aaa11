//! What training asks about the people whose workouts it keeps. Their
//! accounts are the identity context's to know; it answers through
//! [`People`], which the binary wires in.

use futures::future::BoxFuture;
use platform::people::{Language, Privacy, PublicProfile};

use crate::error::TrainingError;

pub trait People: Send + Sync {
    /// What a person chose for what they record. An account that is gone
    /// has the defaults, which are what it would have had.
    fn preferences<'a>(&'a self, user_id: &'a str) -> BoxFuture<'a, Result<Preferences, PeopleError>>;

    /// What anyone who may see one of a person's workouts is shown of them;
    /// none when the account is gone.
    fn public_profile<'a>(&'a self, user_id: &'a str) -> BoxFuture<'a, Result<Option<PublicProfile>, PeopleError>>;
}

/// The choices of a person that training follows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Preferences {
    /// The privacy of a new workout that does not name one.
    pub default_privacy: Privacy,
    /// The language of the titles made for their workouts.
    pub language: Language,
}

/// Why people could not be asked. Either way it is the server's failure:
/// the request that asked fails as a database failure would.
#[derive(Debug, thiserror::Error)]
pub enum PeopleError {
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error("{0}")]
    Other(String),
}

impl From<PeopleError> for TrainingError {
    fn from(e: PeopleError) -> Self {
        match e {
            // A crowd at the pool is a 503 with a hint when to come back, as for training's own queries.
            PeopleError::Database(e) => TrainingError::Sql(e),
            PeopleError::Other(e) => TrainingError::Internal(e),
        }
    }
}
