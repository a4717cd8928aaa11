//! Logging in to Athlos through an external OpenID Connect provider
//! (Keycloak, Google, another Athlos): the authorization code flow with PKCE
//! as a relying party. A provider account is linked to a local account by its
//! subject, the first time by a verified e-mail address.

use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Redirect, Response};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::{Deserialize, Serialize};

use crate::error::{IdentityError, Result};
use crate::sessions::{Client, Tokens};
use crate::store::{self, NewUser, Role};
use crate::{secrets, Identity};

const FLOW_COOKIE: &str = "athlos_external";
const FLOW_AUDIENCE: &str = "athlos-external-login";
const CALLBACK: &str = "/api/v1/auth/external/callback";
const FLOW_PATH: &str = "/api/v1/auth/external";

#[derive(Deserialize)]
struct Metadata {
    issuer: String,
    authorization_endpoint: String,
    token_endpoint: String,
    jwks_uri: String,
}

/// What the browser carries between the start and the callback, signed.
#[derive(Serialize, Deserialize)]
pub(crate) struct Flow {
    iss: String,
    aud: String,
    sub: String,
    exp: i64,
    state: String,
    nonce: String,
    verifier: String,
}

#[derive(Deserialize)]
struct ProviderClaims {
    sub: String,
    nonce: Option<String>,
    email: Option<String>,
    email_verified: Option<bool>,
    name: Option<String>,
}

fn failed(message: impl std::fmt::Display) -> IdentityError {
    IdentityError::Internal(format!("the login provider: {message}"))
}

impl Identity {
    fn provider(&self) -> Option<(&str, &str)> {
        let config = &self.platform.config;
        Some((config.oidc_issuer.as_deref()?, config.oidc_client_id.as_deref()?))
    }

    async fn provider_metadata(&self, issuer: &str) -> Result<Metadata> {
        let url = format!("{}/.well-known/openid-configuration", issuer.trim_end_matches('/'));
        let metadata: Metadata = http().get(&url).send().await.map_err(failed)?.json().await.map_err(failed)?;
        if metadata.issuer.trim_end_matches('/') != issuer.trim_end_matches('/') {
            return Err(failed(format!("its discovery document names issuer {}", metadata.issuer)));
        }
        Ok(metadata)
    }

    fn callback_url(&self) -> String {
        format!("{}{CALLBACK}", self.issuer().trim_end_matches('/'))
    }

    /// The name for the login button; none when no provider is set up.
    pub(crate) fn external_provider_name(&self) -> Option<String> {
        self.provider()?;
        Some(self.platform.config.oidc_name.clone())
    }

    /// Sends the browser to the provider, carrying the flow in a cookie.
    pub(crate) async fn start_external(&self) -> Result<Response> {
        let (issuer, client_id) = self.provider().ok_or(IdentityError::NotFound)?;
        let metadata = self.provider_metadata(issuer).await?;
        let flow = Flow {
            iss: self.issuer(),
            aud: FLOW_AUDIENCE.into(),
            sub: "external-login".into(),
            exp: platform::db::now_secs() + 600,
            state: secrets::new_token(),
            nonce: secrets::new_token(),
            verifier: secrets::new_token(),
        };
        let challenge = URL_SAFE_NO_PAD.encode(ring::digest::digest(&ring::digest::SHA256, flow.verifier.as_bytes()));
        let mut url = url::Url::parse(&metadata.authorization_endpoint).map_err(failed)?;
        url.query_pairs_mut()
            .append_pair("response_type", "code")
            .append_pair("client_id", client_id)
            .append_pair("redirect_uri", &self.callback_url())
            .append_pair("scope", "openid email profile")
            .append_pair("state", &flow.state)
            .append_pair("nonce", &flow.nonce)
            .append_pair("code_challenge", &challenge)
            .append_pair("code_challenge_method", "S256");
        let secure = self.issuer().starts_with("https://");
        let cookie = crate::cookies::set(FLOW_COOKIE, &self.keys.sign(&flow)?, FLOW_PATH, 600, secure);
        let mut response = Redirect::to(url.as_str()).into_response();
        response.headers_mut().insert(header::SET_COOKIE, cookie);
        Ok(response)
    }

    /// Trades the code for the provider's ID token and checks it.
    async fn provider_identity(&self, code: &str, flow: &Flow) -> Result<ProviderClaims> {
        let (issuer, client_id) = self.provider().ok_or(IdentityError::NotFound)?;
        let metadata = self.provider_metadata(issuer).await?;
        let secret = self.platform.config.oidc_client_secret.clone();
        let mut form = vec![
            ("grant_type", "authorization_code".to_string()),
            ("code", code.to_string()),
            ("redirect_uri", self.callback_url()),
            ("code_verifier", flow.verifier.clone()),
        ];
        let mut request = http().post(&metadata.token_endpoint);
        match secret {
            Some(secret) => request = request.basic_auth(client_id, Some(secret)),
            None => form.push(("client_id", client_id.to_string())),
        }
        let answer = request.form(&form).send().await.map_err(failed)?;
        if !answer.status().is_success() {
            return Err(failed(format!("it refused the code: {}", answer.text().await.unwrap_or_default())));
        }
        let tokens: serde_json::Value = answer.json().await.map_err(failed)?;
        let id_token = tokens["id_token"].as_str().ok_or_else(|| failed("it sent no ID token"))?;

        let header = jsonwebtoken::decode_header(id_token).map_err(failed)?;
        if !matches!(header.alg, Algorithm::EdDSA | Algorithm::RS256 | Algorithm::ES256 | Algorithm::PS256) {
            return Err(failed(format!("its ID token is signed with {:?}, which is not accepted", header.alg)));
        }
        let keys: JwkSet = http().get(&metadata.jwks_uri).send().await.map_err(failed)?.json().await.map_err(failed)?;
        let jwk = match &header.kid {
            Some(kid) => keys.find(kid),
            None => keys.keys.first(),
        }
        .ok_or_else(|| failed("its ID token names a key it does not publish"))?;
        let mut validation = Validation::new(header.alg);
        validation.set_issuer(&[&metadata.issuer]);
        validation.set_audience(&[client_id]);
        validation.leeway = 30;
        let claims: ProviderClaims =
            jsonwebtoken::decode(id_token, &DecodingKey::from_jwk(jwk).map_err(failed)?, &validation)
                .map_err(|e| failed(format!("its ID token does not verify: {e}")))?
                .claims;
        if claims.nonce.as_deref() != Some(flow.nonce.as_str()) {
            return Err(failed("its ID token is not the answer to this login (nonce)"));
        }
        Ok(claims)
    }

    /// The local account for a provider identity: linked before, or found by
    /// a verified address (and linked), or made new.
    async fn account_for(&self, claims: &ProviderClaims) -> Result<store::User> {
        let issuer = self.provider().map(|(i, _)| i.to_string()).unwrap_or_default();
        let mut tx = self.platform.db.begin().await?;
        if let Some(user) = store::user_by_external(&mut tx, &issuer, &claims.sub).await? {
            return Ok(user);
        }
        let email = claims.email.as_deref().filter(|_| claims.email_verified == Some(true)).ok_or_else(|| {
            IdentityError::invalid(
                "email",
                "The login provider has not confirmed your e-mail address, so it cannot be linked.",
            )
        })?;
        let email = crate::accounts::normalize_email(email)?;
        let user = match store::user_by_email(&mut tx, &email).await? {
            Some(user) if user.email_verified_at.is_some() => user,
            // Whoever made this account never proved the address: it may not
            // be the owner (account pre-hijacking), so their way in is closed.
            Some(user) => {
                store::clear_password(&mut tx, &user.id).await?;
                store::revoke_sessions(&mut tx, &user.id, None, "address proven by an external login").await?;
                user
            }
            None => {
                let fallback = email.split('@').next().unwrap_or("Athlete").to_string();
                let name = crate::accounts::check_display_name(claims.name.as_deref().unwrap_or(&fallback))
                    .unwrap_or_else(|_| fallback.clone());
                let new = NewUser {
                    email: &email,
                    display_name: &name,
                    password_hash: None,
                    role: Role::User,
                    verified: true,
                };
                let id = store::insert_user(&mut tx, new)
                    .await?
                    .ok_or(IdentityError::Conflict("the account was just made"))?;
                crate::events::registered(&mut tx, &id).await?;
                store::user_by_id(&mut tx, &id).await?.ok_or(IdentityError::NotFound)?
            }
        };
        store::mark_verified(&mut tx, &user.id).await?;
        store::link_external(&mut tx, &issuer, &claims.sub, &user.id).await?;
        tx.commit().await?;
        tracing::info!(user = %user.id, "linked an external login");
        Ok(user)
    }

    /// The login this browser started, if the provider came back with its `state`.
    pub(crate) async fn external_flow(&self, headers: &HeaderMap, state: Option<&str>) -> Option<Flow> {
        let token = crate::cookies::get(headers, FLOW_COOKIE)?;
        let flow = self.keys.verify::<Flow>(&token, &self.issuer(), FLOW_AUDIENCE).await.ok()?;
        (state == Some(flow.state.as_str())).then_some(flow)
    }

    /// Logs in the person the provider vouches for, after the provider's `code`.
    pub(crate) async fn finish_external_login(&self, code: &str, flow: &Flow, client: &Client) -> Result<Tokens> {
        let claims = self.provider_identity(code, flow).await?;
        let user = self.account_for(&claims).await?;
        if user.suspended {
            return Err(IdentityError::Suspended);
        }
        self.open_session(&user, client, None).await
    }

    /// On to the web client with the tokens, in the fragment, which is never
    /// sent to a server; the flow's cookie is spent.
    pub(crate) fn external_login_done(&self, tokens: &Tokens) -> Response {
        let target = format!(
            "/login/external#access_token={}&refresh_token={}&expires_in={}",
            tokens.access_token, tokens.refresh_token, tokens.expires_in
        );
        let mut response = Redirect::to(&target).into_response();
        let secure = self.issuer().starts_with("https://");
        response.headers_mut().insert(header::SET_COOKIE, crate::cookies::set(FLOW_COOKIE, "", FLOW_PATH, 0, secure));
        response
    }
}

/// One HTTP client for every call to the provider, so connections and the
/// TLS set-up are made once, not three times per login.
fn http() -> &'static reqwest::Client {
    static CLIENT: std::sync::OnceLock<reqwest::Client> = std::sync::OnceLock::new();
    CLIENT.get_or_init(|| {
        reqwest::Client::builder().timeout(std::time::Duration::from_secs(15)).build().expect("an HTTP client")
    })
}
