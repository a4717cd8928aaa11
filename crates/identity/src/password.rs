//! Passwords: argon2id with the parameters OWASP recommends, and the rules a
//! new password must meet.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

use crate::error::{IdentityError, Result};

pub const MIN_LENGTH: usize = 10;
pub const MAX_LENGTH: usize = 256;

/// Hashing is slow on purpose; it runs off the async threads.
pub async fn hash(password: &str) -> Result<String> {
    let password = password.to_string();
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::encode_b64(&crate::secrets::random_bytes::<16>()).expect("16 bytes make a salt");
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| IdentityError::Internal(format!("hashing a password failed: {e}")))
    })
    .await
    .map_err(|e| IdentityError::Internal(e.to_string()))?
}

/// Checks a password against a stored hash. With no hash (no such account)
/// it still does the work of one check, so timing does not tell whether an
/// account exists.
pub async fn verify(password: &str, stored: Option<&str>) -> bool {
    let password = password.to_string();
    let stored = stored.map(str::to_string);
    tokio::task::spawn_blocking(move || {
        let stored = stored.unwrap_or_else(|| DUMMY_HASH.to_string());
        let ok = PasswordHash::new(&stored)
            .map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
            .unwrap_or(false);
        ok && stored != DUMMY_HASH
    })
    .await
    .unwrap_or(false)
}

/// The hash of a random password nobody knows, in the default parameters.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0VdQ9bb4Fb9R2vLMNUdxJTY4tqrGmm6gQIFc6SjKnpU";

pub fn check_new(password: &str, email: &str) -> Result<()> {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        return Err(IdentityError::invalid("password", format!("Use at least {MIN_LENGTH} characters.")));
    }
    if length > MAX_LENGTH {
        return Err(IdentityError::invalid("password", format!("Use at most {MAX_LENGTH} characters.")));
    }
    if password.trim().eq_ignore_ascii_case(email.trim()) {
        return Err(IdentityError::invalid("password", "The password must not be your e-mail address."));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_only_its_password() {
        let stored = hash("correct horse battery").await.unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("correct horse battery", Some(&stored)).await);
        assert!(!verify("correct horse batterz", Some(&stored)).await);
        assert!(!verify("anything", None).await);
    }

    #[test]
    fn new_passwords_are_checked() {
        assert!(check_new("short", "a@b.org").is_err());
        assert!(check_new("a@b.org-a@b", "a@b.org-a@b").is_err());
        assert!(check_new("long enough password", "a@b.org").is_ok());
    }
}
