//! Applications registered to log people in through Athlos, and the
//! applications a person has allowed to act for them.

use platform::db::{now_ms, rfc3339};
use platform::http::Caller;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::store::{self, Client};
use crate::error::{IdentityError, Result};
use crate::{secrets, Identity, Role};

#[derive(Deserialize, ToSchema)]
#[schema(example = json!({
    "name": "Training diary", "redirect_uris": ["https://diary.example.org/callback"],
    "scopes": ["openid", "profile", "workouts:read"], "confidential": true
}))]
pub struct ClientRegistration {
    /// Shown to people on the consent page: 1 to 80 characters, not only spaces.
    #[schema(
        min_length = 1,
        max_length = 80,
        pattern = r"[^\t\n\u000B\u000C\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]"
    )]
    pub name: String,
    /// Where people are sent back after consenting; matched exactly. Each is
    /// an absolute URL without a fragment: https, http only for 127.0.0.1,
    /// localhost or [::1], or a custom scheme with a dot (com.example.app:/callback).
    #[schema(min_items = 1, max_items = 10)]
    pub redirect_uris: Vec<String>,
    /// What the application may ask for.
    #[schema(value_type = Vec<Scope>)]
    pub scopes: Vec<String>,
    /// A server-side application that can keep a secret. Apps in a browser or
    /// on a phone are public: they get no secret and must use PKCE.
    pub confidential: bool,
}

/// A scope an application may be registered with.
#[derive(Serialize, ToSchema)]
#[allow(dead_code)]
enum Scope {
    #[serde(rename = "openid")]
    OpenId,
    #[serde(rename = "profile")]
    Profile,
    #[serde(rename = "email")]
    Email,
    #[serde(rename = "workouts:read")]
    WorkoutsRead,
    #[serde(rename = "workouts:write")]
    WorkoutsWrite,
}

#[derive(Serialize, ToSchema)]
pub struct RegisteredClient {
    pub client_id: String,
    /// Shown only in the answer to registration; keep it safe.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_secret: Option<String>,
    pub name: String,
    pub redirect_uris: Vec<String>,
    pub scopes: Vec<String>,
    pub confidential: bool,
    pub created_at: String,
}

impl RegisteredClient {
    fn from(client: Client, secret: Option<String>) -> Self {
        Self {
            confidential: !client.is_public(),
            client_id: client.id,
            client_secret: secret,
            name: client.name,
            redirect_uris: client.redirect_uris,
            scopes: client.scopes,
            created_at: rfc3339(client.created_at),
        }
    }
}

/// A redirect URI must be absolute, without a fragment, and HTTPS unless it
/// points at the person's own machine (native apps listen on loopback).
fn check_redirect_uri(raw: &str) -> Result<()> {
    let url = url::Url::parse(raw)
        .map_err(|_| IdentityError::invalid("redirect_uris", format!("`{raw}` is not an absolute URL")))?;
    if url.fragment().is_some() {
        return Err(IdentityError::invalid("redirect_uris", format!("`{raw}` must not have a #fragment")));
    }
    let loopback = matches!(url.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
    match url.scheme() {
        "https" => Ok(()),
        "http" if loopback => Ok(()),
        "http" => {
            Err(IdentityError::invalid("redirect_uris", format!("`{raw}` must use https (http only for 127.0.0.1)")))
        }
        // Custom schemes (com.example.app:/callback) for phone apps.
        scheme if scheme.contains('.') => Ok(()),
        _ => Err(IdentityError::invalid("redirect_uris", format!("`{raw}` has a scheme that cannot be used"))),
    }
}

impl Identity {
    pub async fn register_client(&self, owner: &Caller, form: ClientRegistration) -> Result<RegisteredClient> {
        let name = form.name.trim();
        if name.is_empty() || name.chars().count() > 80 {
            return Err(IdentityError::invalid("name", "Give the application a name of 1 to 80 characters."));
        }
        if form.redirect_uris.is_empty() || form.redirect_uris.len() > 10 {
            return Err(IdentityError::invalid("redirect_uris", "Give 1 to 10 redirect URIs."));
        }
        form.redirect_uris.iter().try_for_each(|uri| check_redirect_uri(uri))?;
        let scopes = super::split_scopes(&form.scopes.join(" "));
        if let Some(unknown) = scopes.iter().find(|s| !super::is_scope(s)) {
            return Err(IdentityError::invalid("scopes", format!("`{unknown}` is not a scope Athlos knows")));
        }
        let secret = form.confidential.then(secrets::new_token);
        let client = Client {
            id: uuid::Uuid::now_v7().to_string(),
            secret_hash: secret.as_deref().map(secrets::hash),
            name: name.to_string(),
            redirect_uris: form.redirect_uris,
            scopes,
            owner_id: owner.id.clone(),
            created_at: now_ms(),
        };
        let mut conn = self.platform.db.pool().acquire().await?;
        store::insert_client(&mut conn, &client).await?;
        Ok(RegisteredClient::from(client, secret))
    }

    /// A client its owner (or an administrator) may manage; anyone else's is not found.
    async fn managed_client(&self, user: &Caller, client_id: &str) -> Result<Client> {
        let mut conn = self.platform.db.pool().acquire().await?;
        match store::client(&mut conn, client_id).await? {
            Some(client) if client.owner_id == user.id || user.role == Role::Admin => Ok(client),
            _ => Err(IdentityError::NotFound),
        }
    }

    pub(crate) async fn client(&self, client_id: &str) -> Result<Option<Client>> {
        let mut conn = self.platform.db.pool().acquire().await?;
        store::client(&mut conn, client_id).await
    }
}

#[derive(Serialize, ToSchema)]
pub struct ConnectedApp {
    client_id: String,
    name: String,
    scopes: Vec<String>,
    allowed_at: String,
}

impl Identity {
    /// The applications this account registered.
    pub(crate) async fn clients_of(&self, owner: &Caller) -> Result<Vec<RegisteredClient>> {
        let mut conn = self.platform.db.pool().acquire().await?;
        let clients = store::clients_of(&mut conn, &owner.id).await?;
        Ok(clients.into_iter().map(|c| RegisteredClient::from(c, None)).collect())
    }

    /// Deletes an application its owner (or an administrator) manages; everyone
    /// logged in through it is logged out of it.
    pub(crate) async fn delete_client(&self, user: &Caller, client_id: &str) -> Result<()> {
        let client = self.managed_client(user, client_id).await?;
        let mut tx = self.platform.db.begin().await?;
        store::delete_client(&mut tx, &client.id).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The applications this person allowed to act for them.
    pub(crate) async fn connected_apps(&self, user_id: &str) -> Result<Vec<ConnectedApp>> {
        let mut conn = self.platform.db.pool().acquire().await?;
        let grants = store::grants_of(&mut conn, user_id).await?;
        Ok(grants
            .into_iter()
            .map(|g| ConnectedApp {
                client_id: g.client_id,
                name: g.client_name,
                scopes: super::split_scopes(&g.scope),
                allowed_at: rfc3339(g.created_at),
            })
            .collect())
    }

    /// Withdraws an application's access: its tokens stop working at once.
    pub(crate) async fn disconnect_app(&self, user_id: &str, client_id: &str) -> Result<()> {
        let mut tx = self.platform.db.begin().await?;
        if !store::revoke_grant(&mut tx, user_id, client_id).await? {
            return Err(IdentityError::NotFound);
        }
        tx.commit().await?;
        Ok(())
    }
}
