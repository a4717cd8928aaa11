//! Accounts: registration, e-mail verification, password change and reset,
//! profile, deletion. Answers never tell whether an address has an account.

use platform::people::PublicProfile;
use serde::Deserialize;

use crate::error::{IdentityError, Result};
use crate::store::{self, NewUser, Purpose, Role, User};
use crate::{events, mails, password, rate_limit, Identity};

const VERIFY_TTL_MS: i64 = 48 * 3600 * 1000;
const RESET_TTL_MS: i64 = 3600 * 1000;
pub const MAX_NAME_LENGTH: usize = 80;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct Registration {
    /// Where the confirmation link goes; also the login.
    #[schema(format = "email", max_length = 254)]
    pub email: String,
    /// 10 to 256 characters, not the e-mail address.
    #[schema(min_length = 10, max_length = 256)]
    pub password: String,
    /// The name others see: 1 to 80 characters, not only spaces.
    #[schema(
        min_length = 1,
        max_length = 80,
        pattern = r"[^\t\n\u000B\u000C\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]"
    )]
    pub display_name: String,
}

/// Trimmed and lower-cased, as stored; refused if it is not an address.
pub fn normalize_email(email: &str) -> Result<String> {
    let email = email.trim().to_lowercase();
    if email.len() > 254 || !platform::mail::is_address(&email) {
        return Err(IdentityError::invalid("email", "Enter an e-mail address like name@example.org."));
    }
    Ok(email)
}

pub fn check_display_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() {
        return Err(IdentityError::invalid("display_name", "Enter the name others will see."));
    }
    if name.chars().count() > MAX_NAME_LENGTH {
        return Err(IdentityError::invalid("display_name", format!("Use at most {MAX_NAME_LENGTH} characters.")));
    }
    Ok(name.to_string())
}

impl Identity {
    fn link(&self, path: &str, token: &str) -> String {
        format!("{}/{path}?token={token}", self.platform.config.public_url().trim_end_matches('/'))
    }

    /// Creates an account and mails a verification link. When the address is
    /// taken, the owner gets a mail saying so and the caller the same answer.
    pub async fn register(&self, form: Registration, address: &str, role: Role, verified: bool) -> Result<()> {
        rate_limit::hit(&self.platform.db, rate_limit::REGISTER_PER_ADDRESS, address).await?;
        let email = normalize_email(&form.email)?;
        let name = check_display_name(&form.display_name)?;
        password::check_new(&form.password, &email)?;
        let hash = self.passwords.hash(&form.password).await?;

        let mut tx = self.platform.db.begin().await?;
        let new = NewUser { email: &email, display_name: &name, password_hash: Some(&hash), role, verified };
        let made = store::insert_user(&mut tx, new).await?;
        if let Some(user_id) = &made {
            events::registered(&mut tx, user_id).await?;
        }
        match made {
            Some(user_id) if !verified => {
                let token = store::issue_token(&mut tx, Purpose::VerifyEmail, &user_id, VERIFY_TTL_MS).await?;
                let context =
                    serde_json::json!({ "name": name, "link": self.link("verify-email", &token), "token": token });
                self.platform
                    .mailer
                    .enqueue(&self.platform.jobs, &mut tx, mails::VERIFY_EMAIL, &email, context)
                    .await?;
            }
            Some(_) => {}
            None => {
                let owner = store::user_by_email(&mut tx, &email).await?.ok_or(IdentityError::NotFound)?;
                let context = serde_json::json!({ "name": owner.display_name, "login": self.link("login", "") });
                self.platform
                    .mailer
                    .enqueue(&self.platform.jobs, &mut tx, mails::ACCOUNT_EXISTS, &email, context)
                    .await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// Creates an account from the command line: no mail, optionally an admin.
    pub async fn create_user(&self, email: &str, name: &str, password: &str, role: Role) -> Result<String> {
        let email = normalize_email(email)?;
        let name = check_display_name(name)?;
        password::check_new(password, &email)?;
        let hash = self.passwords.hash(password).await?;
        let mut tx = self.platform.db.begin().await?;
        let new = NewUser { email: &email, display_name: &name, password_hash: Some(&hash), role, verified: true };
        let user_id = store::insert_user(&mut tx, new)
            .await?
            .ok_or(IdentityError::Conflict("an account with this e-mail address exists"))?;
        events::registered(&mut tx, &user_id).await?;
        tx.commit().await?;
        Ok(user_id)
    }

    pub async fn verify_email(&self, token: &str) -> Result<()> {
        let mut tx = self.platform.db.begin().await?;
        let user_id =
            store::spend_token(&mut tx, Purpose::VerifyEmail, token).await?.ok_or(IdentityError::InvalidToken)?;
        store::mark_verified(&mut tx, &user_id).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn resend_verification(&self, user_id: &str) -> Result<()> {
        rate_limit::hit(&self.platform.db, rate_limit::MAIL_PER_ACCOUNT, user_id).await?;
        let mut tx = self.platform.db.begin().await?;
        let user = store::user_by_id(&mut tx, user_id).await?.ok_or(IdentityError::NotFound)?;
        if user.email_verified_at.is_some() {
            return Err(IdentityError::Conflict("this e-mail address is already confirmed"));
        }
        store::spend_all_tokens(&mut tx, Purpose::VerifyEmail, user_id).await?;
        let token = store::issue_token(&mut tx, Purpose::VerifyEmail, user_id, VERIFY_TTL_MS).await?;
        let context =
            serde_json::json!({ "name": user.display_name, "link": self.link("verify-email", &token), "token": token });
        self.platform.mailer.enqueue(&self.platform.jobs, &mut tx, mails::VERIFY_EMAIL, &user.email, context).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Mails a reset link if the address has an account; the caller cannot tell.
    pub async fn request_password_reset(&self, email: &str, address: &str) -> Result<()> {
        rate_limit::hit(&self.platform.db, rate_limit::RESET_PER_ADDRESS, address).await?;
        let email = normalize_email(email)?;
        rate_limit::hit(&self.platform.db, rate_limit::RESET_PER_ACCOUNT, &email).await?;
        let mut tx = self.platform.db.begin().await?;
        if let Some(user) = store::user_by_email(&mut tx, &email).await?.filter(|u| !u.suspended) {
            store::spend_all_tokens(&mut tx, Purpose::ResetPassword, &user.id).await?;
            let token = store::issue_token(&mut tx, Purpose::ResetPassword, &user.id, RESET_TTL_MS).await?;
            let context = serde_json::json!({
                "name": user.display_name, "link": self.link("reset-password", &token), "token": token
            });
            self.platform.mailer.enqueue(&self.platform.jobs, &mut tx, mails::RESET_PASSWORD, &email, context).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Sets a new password from a reset link and ends every session: whoever
    /// knew the old password is logged out.
    pub async fn confirm_password_reset(&self, token: &str, new_password: &str) -> Result<()> {
        let user = {
            let mut conn = self.platform.db.pool().acquire().await?;
            let user_id = store::peek_token(&mut conn, Purpose::ResetPassword, token)
                .await?
                .ok_or(IdentityError::InvalidToken)?;
            store::user_by_id(&mut conn, &user_id).await?.ok_or(IdentityError::InvalidToken)?
        };
        password::check_new(new_password, &user.email)?;
        // Hashed before the transaction, which would hold a connection while waiting for a core.
        let hash = self.passwords.hash(new_password).await?;
        let mut tx = self.platform.db.begin().await?;
        // Spending the token in the transaction keeps the link single-use.
        let user_id =
            store::spend_token(&mut tx, Purpose::ResetPassword, token).await?.ok_or(IdentityError::InvalidToken)?;
        store::set_password(&mut tx, &user_id, &hash).await?;
        // The link came by mail, so the address is proven too.
        store::mark_verified(&mut tx, &user_id).await?;
        store::revoke_sessions(&mut tx, &user_id, None, "password reset").await?;
        tx.commit().await?;
        Ok(())
    }

    /// Changes the password, ending every other session.
    pub async fn change_password(&self, user_id: &str, session_id: &str, current: &str, new: &str) -> Result<()> {
        let user = self.user(user_id).await?;
        if !self.passwords.verify(current, user.password_hash.as_deref()).await? {
            return Err(IdentityError::invalid("current_password", "The current password is wrong."));
        }
        password::check_new(new, &user.email)?;
        let hash = self.passwords.hash(new).await?;
        let mut tx = self.platform.db.begin().await?;
        store::set_password(&mut tx, user_id, &hash).await?;
        store::revoke_sessions(&mut tx, user_id, Some(session_id), "password changed").await?;
        tx.commit().await?;
        Ok(())
    }

    /// Erases the account once its password confirms the wish.
    pub async fn delete_own_account(&self, user_id: &str, password: &str) -> Result<()> {
        let user = self.user(user_id).await?;
        if !self.passwords.verify(password, user.password_hash.as_deref()).await? {
            return Err(IdentityError::invalid("password", "The password is wrong."));
        }
        let mut tx = self.platform.db.begin().await?;
        store::delete_user(&mut tx, user_id).await?;
        events::deleted(&mut tx, user_id).await?;
        self.enqueue_erasure(&mut tx, user_id).await?;
        tx.commit().await?;
        tracing::info!(user = %user_id, "account deleted by its owner");
        Ok(())
    }

    /// The id of the account with this address, for the command line.
    pub async fn user_id_by_email(&self, email: &str) -> Result<Option<String>> {
        let mut conn = self.platform.db.pool().acquire().await?;
        Ok(store::user_by_email(&mut conn, &email.trim().to_lowercase()).await?.map(|u| u.id))
    }

    pub async fn user(&self, user_id: &str) -> Result<User> {
        let mut conn = self.platform.db.pool().acquire().await?;
        store::user_by_id(&mut conn, user_id).await?.ok_or(IdentityError::NotFound)
    }

    /// What anyone who may see something of a person's is shown of them;
    /// none when the account is gone.
    /// People whose name contains `words`, as anyone may see them, by name.
    pub async fn search_people(
        &self,
        words: &str,
        after: Option<(&str, &str)>,
        limit: u32,
    ) -> Result<Vec<PublicProfile>> {
        let mut conn = self.platform.db.pool().acquire().await?;
        let users = store::search(&mut conn, words, after.unwrap_or(("", "")), i64::from(limit)).await?;
        Ok(users
            .into_iter()
            .map(|user| PublicProfile {
                avatar_url: crate::avatar::url(&user),
                id: user.id,
                display_name: user.display_name,
            })
            .collect())
    }

    /// The people among `ids` who have an account, in one query per few
    /// hundred: a board or a feed names many people at once.
    pub async fn public_profiles(&self, ids: &[String]) -> Result<Vec<PublicProfile>> {
        let mut conn = self.platform.db.read().await?;
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            for user in store::users_by_ids(&mut conn, chunk).await? {
                out.push(PublicProfile {
                    avatar_url: crate::avatar::url(&user),
                    id: user.id,
                    display_name: user.display_name,
                });
            }
        }
        Ok(out)
    }

    pub async fn public_profile(&self, user_id: &str) -> Result<Option<PublicProfile>> {
        let mut conn = self.platform.db.read().await?;
        let user = store::user_by_id(&mut conn, user_id).await?;
        Ok(user.map(|user| PublicProfile {
            avatar_url: crate::avatar::url(&user),
            id: user.id,
            display_name: user.display_name,
        }))
    }
}
