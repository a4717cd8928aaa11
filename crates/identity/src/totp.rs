//! Time-based one-time passwords (RFC 6238): 6 digits, 30-second steps,
//! SHA-1, as every authenticator app understands. A code is accepted in the
//! step before, of and after now, and each step only once.

use totp_rs::{Algorithm, Secret, TOTP};

const STEP: u64 = 30;

pub fn new_secret() -> String {
    Secret::Raw(crate::secrets::random_bytes::<20>().to_vec()).to_encoded().to_string()
}

fn totp(secret: &str, account: &str) -> Option<TOTP> {
    let bytes = Secret::Encoded(secret.to_string()).to_bytes().ok()?;
    TOTP::new(Algorithm::SHA1, 6, 1, STEP, bytes, Some("Athlos".into()), account.to_string()).ok()
}

/// The `otpauth://` URI an authenticator app reads from a QR code.
pub fn uri(secret: &str, account: &str) -> String {
    totp(secret, account).map(|t| t.get_url()).unwrap_or_default()
}

/// The step a code belongs to, if it is right for a step near `now_secs`
/// that is later than `last_step` (so a code cannot be replayed).
pub fn matching_step(secret: &str, code: &str, now_secs: u64, last_step: Option<i64>) -> Option<i64> {
    let totp = totp(secret, "")?;
    let code = code.trim().replace(' ', "");
    let now_step = now_secs / STEP;
    for step in [now_step.saturating_sub(1), now_step, now_step + 1] {
        let expected = totp.generate(step * STEP);
        let equal = crate::secrets::same(expected.as_bytes(), code.as_bytes());
        if equal && last_step.is_none_or(|last| step as i64 > last) {
            return Some(step as i64);
        }
    }
    None
}

/// The current code for a secret: what an authenticator app would show.
pub fn current_code(secret: &str, now_secs: u64) -> String {
    totp(secret, "").map(|t| t.generate(now_secs)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_6238_vector() {
        // RFC 6238 appendix B, SHA-1 secret "12345678901234567890", T = 59 s → 94287082 (8 digits).
        let secret = Secret::Raw(b"12345678901234567890".to_vec()).to_encoded().to_string();
        let eight = TOTP::new(
            Algorithm::SHA1,
            8,
            1,
            30,
            Secret::Encoded(secret.clone()).to_bytes().unwrap(),
            None,
            String::new(),
        )
        .unwrap();
        assert_eq!(eight.generate(59), "94287082");
        assert_eq!(current_code(&secret, 59), "287082");
    }

    #[test]
    fn a_code_works_once_and_only_near_its_time() {
        let secret = new_secret();
        let now = 1_800_000_000;
        let code = current_code(&secret, now);
        let step = matching_step(&secret, &code, now, None).expect("the current code");
        assert_eq!(matching_step(&secret, &code, now, Some(step)), None, "replayed");
        assert_eq!(matching_step(&secret, &code, now + 10 * STEP, None), None, "too late");
        assert!(matching_step(&secret, &code, now + STEP, None).is_some(), "one step of drift is fine");
        assert!(uri(&secret, "a@b.org").starts_with("otpauth://totp/Athlos:a%40b.org?secret="));
    }
}
