//! Enrolling in and leaving TOTP two-factor authentication.

use serde::Serialize;

use crate::error::{IdentityError, Result};
use crate::{secrets, store, totp, Identity};

const RECOVERY_CODES: usize = 10;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TotpEnrolment {
    /// Base32, for typing into an authenticator app by hand.
    pub secret: String,
    /// `otpauth://…`, for a QR code.
    pub otpauth_uri: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RecoveryCodes {
    /// Ten single-use codes, shown this once. Each replaces a TOTP code one time.
    pub recovery_codes: Vec<String>,
}

impl Identity {
    /// Starts enrolment: a new secret that becomes active once a code from it is confirmed.
    pub async fn start_totp(&self, user_id: &str) -> Result<TotpEnrolment> {
        let user = self.user(user_id).await?;
        if user.totp_secret.is_some() {
            return Err(IdentityError::Conflict("two-factor authentication is already on; turn it off first"));
        }
        let secret = totp::new_secret();
        let mut conn = self.platform.db.pool().acquire().await?;
        store::set_totp_pending(&mut conn, user_id, Some(&secret)).await?;
        Ok(TotpEnrolment { otpauth_uri: totp::uri(&secret, &user.email), secret })
    }

    /// Confirms enrolment with a first code and hands out the recovery codes.
    pub async fn confirm_totp(&self, user_id: &str, code: &str) -> Result<RecoveryCodes> {
        let user = self.user(user_id).await?;
        let pending = user
            .totp_pending
            .as_deref()
            .ok_or(IdentityError::Conflict("start enrolment first: POST /api/v1/account/totp"))?;
        let step = totp::matching_step(pending, code, platform::db::now_secs() as u64, None)
            .ok_or_else(|| IdentityError::invalid("code", "The code is wrong. Check the time on your device."))?;
        let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| secrets::new_recovery_code()).collect();
        let mut tx = self.platform.db.begin().await?;
        store::set_totp(&mut tx, user_id, Some(pending), Some(step)).await?;
        store::replace_recovery_codes(&mut tx, user_id, &codes).await?;
        tx.commit().await?;
        Ok(RecoveryCodes { recovery_codes: codes })
    }

    /// Turns TOTP off; it takes a current code (or a recovery code).
    pub async fn disable_totp(&self, user_id: &str, code: &str) -> Result<()> {
        let user = self.user(user_id).await?;
        let secret = user.totp_secret.as_deref().ok_or(IdentityError::Conflict("two-factor authentication is off"))?;
        let mut tx = self.platform.db.begin().await?;
        let accepted = match totp::matching_step(secret, code, platform::db::now_secs() as u64, user.totp_last_step) {
            Some(step) => store::advance_totp_step(&mut tx, user_id, step).await?,
            None => store::use_recovery_code(&mut tx, user_id, code).await?,
        };
        if !accepted {
            return Err(IdentityError::InvalidSecondFactor);
        }
        store::set_totp(&mut tx, user_id, None, None).await?;
        store::replace_recovery_codes(&mut tx, user_id, &[]).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn unused_recovery_codes(&self, user_id: &str) -> Result<i64> {
        let mut conn = self.platform.db.pool().acquire().await?;
        store::unused_recovery_codes(&mut conn, user_id).await
    }
}
