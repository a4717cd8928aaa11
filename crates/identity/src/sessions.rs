//! Logging in and staying logged in: sessions, access tokens, refresh-token
//! rotation with reuse detection, the second login step, logging out.

use serde::Serialize;

use crate::error::{IdentityError, Result};
use crate::extract::AccessClaims;
use crate::rate_limit::{self, LoginAttempt};
use crate::store::{self, AppAccess, Purpose, Session, User};
use crate::{totp, Identity, API_AUDIENCE, REFRESH_TOKEN_MS};

const SECOND_FACTOR_TTL_MS: i64 = 5 * 60 * 1000;

/// How long after its trade a refresh token may be traded again when the
/// answer was lost, measured from the first trade (so never extended).
const RETRADE_WINDOW_MS: i64 = 30 * 1000;

/// Whether a spent token presented again is an answer lost on its way: an
/// app that navigates or reloads while its refresh is in flight never reads
/// the answer, keeps the spent token and sends it again. That is told from a
/// copy by the clock (within [`RETRADE_WINDOW_MS`] of the trade) and the
/// address (the one the trade came from); the caller also requires that the
/// successor was never used, since its holder would have the answer.
fn lost_answer(used_at: i64, traded_from: &str, client: &Client) -> bool {
    platform::db::now_ms() - used_at <= RETRADE_WINDOW_MS && traded_from == client.address
}

/// Where a request comes from, as sessions record it.
#[derive(Clone, Debug)]
pub struct Client {
    pub address: String,
    pub device: String,
}

impl Client {
    /// The device is the User-Agent, cut to a length a session list can show.
    pub fn from_request(address: platform::http::ClientAddress, headers: &axum::http::HeaderMap) -> Self {
        let device = headers
            .get("user-agent")
            .and_then(|v| v.to_str().ok())
            .map(|ua| ua.chars().take(200).collect())
            .unwrap_or_else(|| "unknown device".into());
        Self { address: address.0, device }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Tokens {
    /// A JWT for `Authorization: Bearer …`, valid for `expires_in` seconds.
    pub access_token: String,
    pub token_type: &'static str,
    pub expires_in: i64,
    /// Opaque; trade it at /api/v1/auth/refresh for new tokens. Works once.
    pub refresh_token: String,
    pub session_id: String,
    /// Whose tokens these are; known to the server, not sent.
    #[serde(skip)]
    pub user_id: String,
    /// The application's scope, for tokens of an application.
    #[serde(skip)]
    pub scope: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SecondFactorNeeded {
    /// Always true: the password was right and a second step follows.
    pub second_factor_required: bool,
    /// Send it back with a code to /api/v1/auth/login/second-factor within five minutes.
    pub challenge: String,
    pub methods: Vec<&'static str>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum LoginOutcome {
    Tokens(Tokens),
    SecondFactor(SecondFactorNeeded),
}

/// The second step of a login: a code from the authenticator app, or one of
/// the recovery codes.
#[derive(Debug)]
pub enum SecondFactor<'a> {
    Totp(&'a str),
    RecoveryCode(&'a str),
    /// A passkey's answer to the ceremony started for this login.
    Passkey {
        ceremony: &'a str,
        credential: &'a webauthn_rs::prelude::PublicKeyCredential,
    },
}

impl Identity {
    /// Logs in with a password. Only failures count against the limits, per
    /// account and address (see [`rate_limit::LoginAttempt`]).
    pub async fn login(&self, email: &str, password: &str, client: &Client) -> Result<LoginOutcome> {
        let db = &self.platform.db;
        let email = email.trim().to_lowercase();
        let user = {
            let mut conn = db.pool().acquire().await?;
            store::user_by_email(&mut conn, &email).await?
        };
        let attempt = LoginAttempt::count(db, &email, user.as_ref(), &client.address).await?;
        let hash = user.as_ref().and_then(|u| u.password_hash.as_deref());
        match self.passwords.verify(password, hash).await {
            Ok(true) => attempt.succeeded(db).await?,
            Ok(false) => return Err(IdentityError::InvalidCredentials),
            Err(busy_or_broken) => {
                attempt.withdraw(db).await?;
                return Err(busy_or_broken);
            }
        }
        let user = user.ok_or(IdentityError::InvalidCredentials)?;
        if user.suspended {
            return Err(IdentityError::Suspended);
        }
        if user.totp_secret.is_some() {
            let mut methods = vec!["totp", "recovery_code"];
            if self.has_passkeys(&user.id).await? {
                methods.push("passkey");
            }
            let mut conn = db.pool().acquire().await?;
            let challenge =
                store::issue_token(&mut conn, Purpose::SecondFactor, &user.id, SECOND_FACTOR_TTL_MS).await?;
            return Ok(LoginOutcome::SecondFactor(SecondFactorNeeded {
                second_factor_required: true,
                challenge,
                methods,
            }));
        }
        Ok(LoginOutcome::Tokens(self.open_session(&user, client, None).await?))
    }

    /// Finishes a login that needed a second factor.
    pub async fn login_second_step(
        &self,
        challenge: &str,
        factor: SecondFactor<'_>,
        client: &Client,
    ) -> Result<Tokens> {
        let db = &self.platform.db;
        let user_id = {
            let mut conn = db.pool().acquire().await?;
            store::peek_token(&mut conn, Purpose::SecondFactor, challenge).await?.ok_or(IdentityError::InvalidToken)?
        };
        rate_limit::hit(db, rate_limit::SECOND_FACTOR_PER_ACCOUNT, &user_id).await?;
        let user = self.user(&user_id).await?;
        if user.suspended {
            return Err(IdentityError::Suspended);
        }
        let mut tx = db.begin().await?;
        let accepted = match factor {
            SecondFactor::Totp(code) => {
                let secret = user.totp_secret.as_deref().ok_or(IdentityError::InvalidSecondFactor)?;
                match totp::matching_step(secret, code, platform::db::now_secs() as u64, user.totp_last_step) {
                    Some(step) => store::advance_totp_step(&mut tx, &user.id, step).await?,
                    None => false,
                }
            }
            SecondFactor::RecoveryCode(code) => store::use_recovery_code(&mut tx, &user.id, code).await?,
            SecondFactor::Passkey { ceremony, credential } => {
                self.passkey_second_factor(&mut tx, &user.id, ceremony, credential).await?
            }
        };
        if !accepted {
            return Err(IdentityError::InvalidSecondFactor);
        }
        store::spend_token(&mut tx, Purpose::SecondFactor, challenge).await?.ok_or(IdentityError::InvalidToken)?;
        tx.commit().await?;
        // Only wrong steps count: the owner logging in often is never held up.
        rate_limit::clear(db, rate_limit::SECOND_FACTOR_PER_ACCOUNT, &user_id).await?;
        self.open_session(&user, client, None).await
    }

    /// Starts a session (for Athlos's own apps, or for `app`) and its first tokens.
    pub(crate) async fn open_session(&self, user: &User, client: &Client, app: Option<&AppAccess>) -> Result<Tokens> {
        let mut tx = self.platform.db.begin().await?;
        let session_id = store::insert_session(&mut tx, &user.id, &client.device, &client.address, app).await?;
        let refresh_token = store::insert_refresh_token(&mut tx, &session_id, REFRESH_TOKEN_MS).await?;
        tx.commit().await?;
        tracing::info!(user = %user.id, session = %session_id, app = ?app.map(|a| &a.client_id), "session opened");
        self.tokens(&user.id, &session_id, refresh_token, app)
    }

    fn tokens(
        &self,
        user_id: &str,
        session_id: &str,
        refresh_token: String,
        app: Option<&AppAccess>,
    ) -> Result<Tokens> {
        let now = platform::db::now_secs();
        let claims = AccessClaims {
            iss: self.issuer(),
            aud: API_AUDIENCE.into(),
            sub: user_id.into(),
            sid: session_id.into(),
            iat: now,
            exp: now + self.access_token_secs(),
            jti: crate::secrets::new_token(),
            client_id: app.map(|a| a.client_id.clone()),
            scope: app.map(|a| a.scope.clone()),
        };
        Ok(Tokens {
            access_token: self.keys.sign(&claims)?,
            token_type: "Bearer",
            expires_in: self.access_token_secs(),
            refresh_token,
            session_id: session_id.into(),
            user_id: user_id.into(),
            scope: app.map(|a| a.scope.clone()),
        })
    }

    /// Trades a refresh token for new tokens. A token works once: presenting
    /// a spent one means it was copied, so the whole session ends. Except
    /// for an answer lost on its way (see [`lost_answer`]): then the token is
    /// traded again and the successor nobody received stops working.
    pub async fn refresh(&self, refresh_token: &str, client: &Client) -> Result<Tokens> {
        self.refresh_for(refresh_token, client, |_| true).await
    }

    /// Refreshes only if `allowed` accepts the session's application (the
    /// token endpoint checks that the token is the calling client's).
    pub(crate) async fn refresh_for(
        &self,
        refresh_token: &str,
        client: &Client,
        allowed: impl Fn(Option<&AppAccess>) -> bool,
    ) -> Result<Tokens> {
        let mut tx = self.platform.db.begin().await?;
        store::lock_refresh_token(&mut tx, refresh_token).await?;
        let state = store::refresh_token_state(&mut tx, refresh_token).await?.ok_or(IdentityError::TokenInvalid)?;
        if !allowed(state.app.as_ref()) {
            return Err(IdentityError::TokenInvalid);
        }
        if state.session_revoked || state.expired {
            return Err(IdentityError::SessionRevoked);
        }
        let user = store::user_by_id(&mut tx, &state.user_id).await?.ok_or(IdentityError::SessionRevoked)?;
        if user.suspended {
            return Err(IdentityError::Suspended);
        }
        let next = store::insert_refresh_token(&mut tx, &state.session_id, REFRESH_TOKEN_MS).await?;
        let traded = match (state.used_at, &state.replaced_by) {
            (None, _) => store::spend_refresh_token(&mut tx, refresh_token, &next).await?,
            (Some(used_at), Some(successor)) if lost_answer(used_at, &state.session_address, client) => {
                store::replace_unused_successor(&mut tx, refresh_token, successor, &next).await?
            }
            _ => false,
        };
        if !traded {
            store::revoke_session(&mut tx, &state.user_id, &state.session_id, "refresh token reused").await?;
            tx.commit().await?;
            tracing::warn!(user = %state.user_id, session = %state.session_id, "refresh token reused; session revoked");
            return Err(IdentityError::RefreshTokenReused);
        }
        store::touch_session(&mut tx, &state.session_id, &client.address).await?;
        tx.commit().await?;
        self.tokens(&state.user_id, &state.session_id, next, state.app.as_ref())
    }

    pub async fn logout(&self, user_id: &str, session_id: &str) -> Result<()> {
        self.revoke_session(user_id, session_id).await
    }

    pub async fn sessions(&self, user_id: &str, current: &str) -> Result<Vec<Session>> {
        let mut conn = self.platform.db.pool().acquire().await?;
        store::live_sessions(&mut conn, user_id, current).await
    }

    /// Ends one of the user's own sessions; someone else's is not found.
    pub async fn revoke_session(&self, user_id: &str, session_id: &str) -> Result<()> {
        let mut conn = self.platform.db.pool().acquire().await?;
        if store::revoke_session(&mut conn, user_id, session_id, "logged out").await? {
            Ok(())
        } else {
            Err(IdentityError::NotFound)
        }
    }
}
