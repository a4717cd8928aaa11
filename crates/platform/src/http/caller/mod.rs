//! Who is calling. Every protected handler takes a [`Caller`]; endpoints open
//! to everyone but richer for a logged-in caller take `Option<Caller>`. The
//! bearer token is checked by an [`Authenticator`], which the identity
//! context implements and the binary hands to each context's state, so a
//! context learns who calls without depending on identity.

mod authenticator;
mod error;
mod extract;

pub use authenticator::{Application, Authenticator, Bearer};
pub use error::CallerError;

use crate::people::Role;

/// A logged-in person, as their access token and live session say.
#[derive(Debug, Clone)]
pub struct Caller {
    pub id: String,
    pub session_id: String,
    pub role: Role,
    pub email_verified: bool,
}

impl Caller {
    pub fn require_admin(&self) -> Result<(), CallerError> {
        if self.role == Role::Admin {
            Ok(())
        } else {
            Err(CallerError::NotAdmin)
        }
    }

    /// Public posting needs a confirmed address.
    pub fn require_verified(&self) -> Result<(), CallerError> {
        if self.email_verified {
            Ok(())
        } else {
            Err(CallerError::EmailNotVerified)
        }
    }
}
