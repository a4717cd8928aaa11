//! Access tokens whose signature has been checked once already. Checking an
//! Ed25519 signature took about 50 µs of every authenticated request, and a
//! client sends the same token for its whole life (15 minutes by default).
//!
//! Only the signature check is remembered. Expiry is checked again on every
//! use, and the session and account are still read on every request, so a
//! revoked session or a suspended account stops working at once on every
//! replica. Signing keys are only ever retired, never removed, so a token
//! that verified once keeps verifying until it expires.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::extract::AccessClaims;

/// How many tokens are remembered: a few MiB at most.
const CAPACITY: usize = 4096;

#[derive(Default)]
pub(crate) struct VerifiedTokens {
    claims: Mutex<HashMap<String, AccessClaims>>,
}

/// The same allowance for clock skew as the full check's.
pub(crate) const LEEWAY_SECS: i64 = 5;

impl VerifiedTokens {
    /// The claims of `token` if its signature was checked before: `Err` once
    /// the token has expired, `None` when it has not been seen.
    pub fn get(&self, token: &str, now_secs: i64) -> Option<Result<AccessClaims, Expired>> {
        let mut claims = self.claims.lock().expect("verified tokens lock");
        let known = claims.get(token)?;
        if known.exp < now_secs - LEEWAY_SECS {
            claims.remove(token);
            return Some(Err(Expired));
        }
        Some(Ok(known.clone()))
    }

    /// Remembers a token whose signature, issuer and audience just checked
    /// out. When full, expired tokens go first, and all of them if that
    /// frees nothing: rebuilding costs one signature check per client.
    pub fn keep(&self, token: &str, verified: &AccessClaims, now_secs: i64) {
        let mut claims = self.claims.lock().expect("verified tokens lock");
        if claims.len() >= CAPACITY {
            claims.retain(|_, c| c.exp >= now_secs - LEEWAY_SECS);
            if claims.len() >= CAPACITY {
                claims.clear();
            }
        }
        claims.insert(token.to_owned(), verified.clone());
    }
}

/// The remembered token has expired since.
#[derive(Debug)]
pub(crate) struct Expired;

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(exp: i64) -> AccessClaims {
        AccessClaims {
            iss: "https://athlos.example".into(),
            aud: "athlos".into(),
            sub: "user".into(),
            sid: "session".into(),
            iat: exp - 900,
            exp,
            jti: "j".into(),
            client_id: None,
            scope: None,
        }
    }

    #[test]
    fn an_unseen_token_is_checked_in_full() {
        assert!(VerifiedTokens::default().get("a.b.c", 1_000).is_none());
    }

    #[test]
    fn a_remembered_token_expires_on_time() {
        let tokens = VerifiedTokens::default();
        tokens.keep("a.b.c", &claims(1_000), 500);
        assert_eq!(tokens.get("a.b.c", 1_000 + LEEWAY_SECS).unwrap().unwrap().sid, "session");
        assert!(tokens.get("a.b.c", 1_001 + LEEWAY_SECS).unwrap().is_err());
        // An expired token is forgotten, and would be checked in full again.
        assert!(tokens.get("a.b.c", 1_001 + LEEWAY_SECS).is_none());
    }

    #[test]
    fn only_the_very_same_token_matches() {
        let tokens = VerifiedTokens::default();
        tokens.keep("a.b.c", &claims(1_000), 500);
        assert!(tokens.get("a.b.d", 500).is_none());
        assert!(tokens.get("a.b.", 500).is_none());
    }

    #[test]
    fn it_stays_bounded() {
        let tokens = VerifiedTokens::default();
        for n in 0..CAPACITY + 10 {
            let exp = if n < 100 { 400 } else { 1_000 };
            tokens.keep(&format!("token-{n}"), &claims(exp), 500);
        }
        let kept = tokens.claims.lock().unwrap().len();
        assert!(kept <= CAPACITY, "{kept} tokens kept");
        // The newest token is always there.
        assert!(tokens.get(&format!("token-{}", CAPACITY + 9), 500).is_some());
    }
}
