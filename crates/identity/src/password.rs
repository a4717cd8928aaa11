//! Passwords: argon2id with the parameters OWASP recommends, the rules a
//! new password must meet, and a bound on how many are hashed at once.

use std::sync::Arc;
use std::time::Duration;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use tokio::sync::Semaphore;

use crate::error::{IdentityError, Result};

pub const MIN_LENGTH: usize = 10;
pub const MAX_LENGTH: usize = 256;

/// The longest a request waits for a core to hash its password. Past it the
/// server is told to be busy (503) rather than let a queue grow without end:
/// a queue served at one hash per core every few tens of milliseconds holds
/// at most this long's worth of work, and whoever is beyond it comes back later.
pub const MAX_WAIT: Duration = Duration::from_secs(5);

/// Hashing and checking passwords, at most one argon2 run per core at once.
///
/// Every run takes 19 MiB and a core for tens of milliseconds. Unbounded, a
/// storm of logins started hundreds at once, took gigabytes and kept them;
/// bounded, memory stays at cores × 19 MiB and the rest wait their turn.
#[derive(Clone)]
pub struct Passwords {
    cores: Arc<Semaphore>,
    max_wait: Duration,
}

impl Default for Passwords {
    fn default() -> Self {
        Self::new(cores(), MAX_WAIT)
    }
}

/// The cores this process may use (its CPU quota, in a container).
fn cores() -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
}

impl Passwords {
    fn new(at_once: usize, max_wait: Duration) -> Self {
        Self { cores: Arc::new(Semaphore::new(at_once)), max_wait }
    }

    /// A new password's argon2id hash, with a random salt.
    pub async fn hash(&self, password: &str) -> Result<String> {
        let password = password.to_string();
        self.on_a_free_core(move || {
            let salt = SaltString::encode_b64(&crate::secrets::random_bytes::<16>()).expect("16 bytes make a salt");
            Argon2::default()
                .hash_password(password.as_bytes(), &salt)
                .map(|h| h.to_string())
                .map_err(|e| IdentityError::Internal(format!("hashing a password failed: {e}")))
        })
        .await?
    }

    /// Checks a password against a stored hash. With no hash (no such
    /// account) it still does the work of one check, so timing does not tell
    /// whether an account exists. Busy is an error, never a wrong password.
    pub async fn verify(&self, password: &str, stored: Option<&str>) -> Result<bool> {
        let password = password.to_string();
        let stored = stored.map(str::to_string);
        self.on_a_free_core(move || {
            let stored = stored.unwrap_or_else(|| DUMMY_HASH.to_string());
            let ok = PasswordHash::new(&stored)
                .map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
                .unwrap_or(false);
            ok && stored != DUMMY_HASH
        })
        .await
    }

    /// Runs `work` off the async threads once a core is free, or answers
    /// busy after waiting `max_wait` for one.
    async fn on_a_free_core<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Result<T> {
        let permit = tokio::time::timeout(self.max_wait, self.cores.clone().acquire_owned())
            .await
            .map_err(|_| busy(self.max_wait))?
            .map_err(|_| IdentityError::Internal("the password cores were closed".into()))?;
        // The permit goes with the work: a request given up on (client gone,
        // timeout) leaves its hash running, and the core stays counted until it ends.
        tokio::task::spawn_blocking(move || {
            let _core = permit;
            work()
        })
        .await
        .map_err(|e| IdentityError::Internal(format!("checking a password failed: {e}")))
    }
}

fn busy(waited: Duration) -> IdentityError {
    tracing::warn!("every core is hashing passwords; a request waited {waited:?} and was turned away");
    IdentityError::Busy { retry_after_secs: waited.as_secs().max(1) }
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
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_only_its_password() {
        let passwords = Passwords::default();
        let stored = passwords.hash("correct horse battery").await.unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(passwords.verify("correct horse battery", Some(&stored)).await.unwrap());
        assert!(!passwords.verify("correct horse batterz", Some(&stored)).await.unwrap());
        assert!(!passwords.verify("anything", None).await.unwrap());
    }

    #[test]
    fn there_is_one_hashing_place_per_core() {
        let passwords = Passwords::default();
        assert_eq!(passwords.cores.available_permits(), std::thread::available_parallelism().unwrap().get());
    }

    #[tokio::test]
    async fn no_more_run_at_once_than_there_are_places() {
        let passwords = Passwords::new(2, Duration::from_secs(60));
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let runs = (0..16).map(|_| {
            let (passwords, running, most) = (passwords.clone(), running.clone(), most.clone());
            tokio::spawn(async move {
                passwords
                    .on_a_free_core(move || {
                        let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(now, Ordering::SeqCst);
                        // Standing in for argon2's tens of milliseconds.
                        std::thread::sleep(Duration::from_millis(5));
                        running.fetch_sub(1, Ordering::SeqCst);
                    })
                    .await
            })
        });
        for run in futures::future::join_all(runs).await {
            run.unwrap().unwrap();
        }
        assert!(most.load(Ordering::SeqCst) <= 2, "{} ran at once", most.load(Ordering::SeqCst));
        assert_eq!(passwords.cores.available_permits(), 2);
    }

    #[tokio::test]
    async fn a_request_that_finds_no_free_core_in_time_is_told_to_come_back() {
        let passwords = Passwords::new(1, Duration::from_millis(20));
        let taken = passwords.cores.clone().acquire_owned().await.unwrap();
        match passwords.verify("correct horse battery", None).await {
            Err(IdentityError::Busy { retry_after_secs }) => assert_eq!(retry_after_secs, 1),
            other => panic!("not busy: {other:?}"),
        }
        drop(taken);
        // Giving up left the place free for the next request.
        assert!(!passwords.verify("correct horse battery", None).await.unwrap());
    }

    #[test]
    fn new_passwords_are_checked() {
        assert!(check_new("short", "a@b.org").is_err());
        assert!(check_new("a@b.org-a@b", "a@b.org-a@b").is_err());
        assert!(check_new("long enough password", "a@b.org").is_ok());
    }
}
