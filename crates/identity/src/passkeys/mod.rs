//! Passkeys (WebAuthn): registering them, logging in with one alone, and
//! using one as the second login step.
//!
//! A passkey login needs no password and no second step: the authenticator
//! checks the person (user verification is required), so the login already
//! rests on two factors. As a second step, a passkey stands beside the TOTP
//! code and the recovery codes, so losing the device never locks anyone out.

mod store;

use std::sync::Arc;

use webauthn_rs_proto::ResidentKeyRequirement;

use serde::Serialize;
use webauthn_rs::prelude::{
    CreationChallengeResponse, DiscoverableAuthentication, DiscoverableKey, PasskeyAuthentication, PasskeyRegistration,
    PublicKeyCredential, RegisterPublicKeyCredential, RequestChallengeResponse, Webauthn, WebauthnBuilder,
};

use store::Ceremony;
pub use store::PasskeyInfo;

use crate::error::{IdentityError, Result};
use crate::sessions::{Client, Tokens};
use crate::store::{self as accounts, Purpose};
use crate::{rate_limit, Identity};

const CEREMONY_TTL_MS: i64 = 5 * 60 * 1000;
const MAX_PASSKEYS: usize = 20;

/// What the browser needs for `navigator.credentials.create()`, and the
/// handle to send back with its answer within five minutes.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RegistrationStart {
    pub ceremony: String,
    /// WebAuthn creation options (`{"publicKey": …}`); binary fields are base64url.
    #[schema(value_type = Object)]
    pub options: CreationChallengeResponse,
}

/// What the browser needs for `navigator.credentials.get()`, and the handle
/// to send back with its answer within five minutes.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AuthenticationStart {
    pub ceremony: String,
    /// WebAuthn request options (`{"publicKey": …}`); binary fields are base64url.
    #[schema(value_type = Object)]
    pub options: RequestChallengeResponse,
}

/// The relying party, when the public URL names a domain: browsers refuse
/// passkeys for bare IP addresses, so there is none for those.
pub fn relying_party(public_url: &str) -> Option<Arc<Webauthn>> {
    let origin = url::Url::parse(public_url).ok()?;
    let domain = origin.domain()?.to_string();
    match WebauthnBuilder::new(&domain, &origin).and_then(|b| b.rp_name("Athlos").build()) {
        Ok(webauthn) => Some(Arc::new(webauthn)),
        Err(e) => {
            tracing::warn!(%public_url, error = %e, "passkeys are off: the public URL cannot be a WebAuthn origin");
            None
        }
    }
}

impl Identity {
    fn webauthn(&self) -> Result<&Webauthn> {
        self.webauthn.as_deref().ok_or(IdentityError::Conflict(
            "passkeys need ATHLOS_PUBLIC_URL to name the server by a domain (https://…, or http://localhost)",
        ))
    }

    pub async fn start_passkey_registration(&self, user_id: &str) -> Result<RegistrationStart> {
        let user = self.user(user_id).await?;
        let mut conn = self.platform.db.pool().acquire().await?;
        let existing = store::of_user(&mut conn, user_id).await?;
        if existing.len() >= MAX_PASSKEYS {
            return Err(IdentityError::Conflict("you have 20 passkeys already; remove one first"));
        }
        let exclude = existing.iter().map(|p| p.passkey.cred_id().clone()).collect();
        let unique_id = uuid::Uuid::parse_str(&user.id).map_err(|e| IdentityError::Internal(e.to_string()))?;
        let (mut options, state) = self
            .webauthn()?
            .start_passkey_registration(unique_id, &user.email, &user.display_name, Some(exclude))
            .map_err(internal)?;
        // Ask for a discoverable credential, so this passkey can also log in
        // without typing an address.
        if let Some(selection) = options.public_key.authenticator_selection.as_mut() {
            selection.resident_key = Some(ResidentKeyRequirement::Preferred);
        }
        let ceremony =
            store::begin_ceremony(&mut conn, Ceremony::Register, Some(user_id), &state, CEREMONY_TTL_MS).await?;
        Ok(RegistrationStart { ceremony, options })
    }

    pub async fn finish_passkey_registration(
        &self,
        user_id: &str,
        ceremony: &str,
        name: &str,
        credential: &RegisterPublicKeyCredential,
    ) -> Result<PasskeyInfo> {
        let name = passkey_name(name)?;
        let mut tx = self.platform.db.begin().await?;
        let (owner, state) = store::take_ceremony::<PasskeyRegistration>(&mut tx, Ceremony::Register, ceremony)
            .await?
            .ok_or(IdentityError::InvalidToken)?;
        if owner.as_deref() != Some(user_id) {
            return Err(IdentityError::InvalidToken);
        }
        let passkey = self.webauthn()?.finish_passkey_registration(credential, &state).map_err(rejected)?;
        let info = store::insert(&mut tx, user_id, &name, &passkey).await?;
        tx.commit().await?;
        tracing::info!(user = %user_id, passkey = %info.id, "passkey registered");
        Ok(info)
    }

    pub async fn passkeys(&self, user_id: &str) -> Result<Vec<PasskeyInfo>> {
        let mut conn = self.platform.db.pool().acquire().await?;
        store::list(&mut conn, user_id).await
    }

    pub async fn remove_passkey(&self, user_id: &str, id: &str) -> Result<()> {
        let mut conn = self.platform.db.pool().acquire().await?;
        if !store::delete(&mut conn, user_id, id).await? {
            return Err(IdentityError::NotFound);
        }
        Ok(())
    }

    /// Starts a login with a passkey the authenticator finds by itself.
    pub async fn start_passkey_login(&self, client: &Client) -> Result<AuthenticationStart> {
        // A ceremony counts as a failed login of the address until it succeeds.
        rate_limit::hit(&self.platform.db, rate_limit::LOGIN_FAILURES_PER_ADDRESS, &client.address).await?;
        let (options, state) = self.webauthn()?.start_discoverable_authentication().map_err(internal)?;
        let mut conn = self.platform.db.pool().acquire().await?;
        let ceremony = store::begin_ceremony(&mut conn, Ceremony::Login, None, &state, CEREMONY_TTL_MS).await?;
        Ok(AuthenticationStart { ceremony, options })
    }

    pub async fn finish_passkey_login(
        &self,
        ceremony: &str,
        credential: &PublicKeyCredential,
        client: &Client,
    ) -> Result<Tokens> {
        let webauthn = self.webauthn()?;
        let mut tx = self.platform.db.begin().await?;
        let (_, state) = store::take_ceremony::<DiscoverableAuthentication>(&mut tx, Ceremony::Login, ceremony)
            .await?
            .ok_or(IdentityError::InvalidToken)?;
        let (unique_id, credential_id) =
            webauthn.identify_discoverable_authentication(credential).map_err(|_| IdentityError::PasskeyRejected)?;
        let mut stored = store::by_credential(&mut tx, credential_id).await?.ok_or(IdentityError::PasskeyRejected)?;
        if stored.user_id != unique_id.to_string() {
            return Err(IdentityError::PasskeyRejected);
        }
        let key = DiscoverableKey::from(&stored.passkey);
        let result = webauthn.finish_discoverable_authentication(credential, state, &[key]).map_err(rejected)?;
        stored.passkey.update_credential(&result);
        store::used(&mut tx, &stored).await?;
        let user = accounts::user_by_id(&mut tx, &stored.user_id).await?.ok_or(IdentityError::PasskeyRejected)?;
        tx.commit().await?;
        if user.suspended {
            return Err(IdentityError::Suspended);
        }
        rate_limit::forgive(&self.platform.db, rate_limit::LOGIN_FAILURES_PER_ADDRESS, &client.address).await?;
        self.open_session(&user, client, None).await
    }

    /// Starts the second login step with one of the person's passkeys.
    pub async fn start_passkey_second_factor(&self, challenge: &str) -> Result<AuthenticationStart> {
        let mut conn = self.platform.db.pool().acquire().await?;
        let user_id = accounts::peek_token(&mut conn, Purpose::SecondFactor, challenge)
            .await?
            .ok_or(IdentityError::InvalidToken)?;
        let passkeys: Vec<_> = store::of_user(&mut conn, &user_id).await?.into_iter().map(|p| p.passkey).collect();
        if passkeys.is_empty() {
            return Err(IdentityError::Conflict("this account has no passkey; use a code instead"));
        }
        let (options, state) = self.webauthn()?.start_passkey_authentication(&passkeys).map_err(internal)?;
        let ceremony =
            store::begin_ceremony(&mut conn, Ceremony::SecondFactor, Some(&user_id), &state, CEREMONY_TTL_MS).await?;
        Ok(AuthenticationStart { ceremony, options })
    }

    /// Checks a passkey answer as the second step of `user_id`'s login.
    pub(crate) async fn passkey_second_factor(
        &self,
        conn: &mut sqlx::AnyConnection,
        user_id: &str,
        ceremony: &str,
        credential: &PublicKeyCredential,
    ) -> Result<bool> {
        let Some((owner, state)) =
            store::take_ceremony::<PasskeyAuthentication>(&mut *conn, Ceremony::SecondFactor, ceremony).await?
        else {
            return Ok(false);
        };
        if owner.as_deref() != Some(user_id) {
            return Ok(false);
        }
        let Ok(result) = self.webauthn()?.finish_passkey_authentication(credential, &state) else { return Ok(false) };
        let Some(mut stored) = store::by_credential(&mut *conn, result.cred_id().as_ref()).await? else {
            return Ok(false);
        };
        if stored.user_id != user_id {
            return Ok(false);
        }
        stored.passkey.update_credential(&result);
        store::used(conn, &stored).await?;
        Ok(true)
    }

    pub(crate) async fn has_passkeys(&self, user_id: &str) -> Result<bool> {
        let mut conn = self.platform.db.pool().acquire().await?;
        Ok(store::count(&mut conn, user_id).await? > 0)
    }
}

fn passkey_name(name: &str) -> Result<String> {
    let name = name.trim();
    match name.chars().count() {
        0 => Ok("Passkey".into()),
        1..=60 => Ok(name.into()),
        _ => Err(IdentityError::invalid("name", "Keep the name to 60 characters.")),
    }
}

fn internal(e: webauthn_rs::prelude::WebauthnError) -> IdentityError {
    IdentityError::Internal(format!("webauthn: {e}"))
}

fn rejected(e: webauthn_rs::prelude::WebauthnError) -> IdentityError {
    tracing::info!(error = %e, "passkey answer refused");
    IdentityError::PasskeyRejected
}
