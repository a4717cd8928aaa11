//! OpenID Connect discovery and the userinfo claims.

use serde_json::{json, Value};

use crate::error::Result;
use crate::{AppUser, Identity};

impl Identity {
    /// The provider's metadata (OpenID Connect Discovery 1.0).
    pub(crate) fn openid_configuration(&self) -> Value {
        let issuer = self.issuer();
        let base = issuer.trim_end_matches('/');
        json!({
            "issuer": issuer,
            "authorization_endpoint": format!("{base}/oauth/authorize"),
            "token_endpoint": format!("{base}/oauth/token"),
            "userinfo_endpoint": format!("{base}/oauth/userinfo"),
            "jwks_uri": format!("{base}/.well-known/jwks.json"),
            "revocation_endpoint": format!("{base}/oauth/revoke"),
            "introspection_endpoint": format!("{base}/oauth/introspect"),
            "scopes_supported": super::SCOPES.iter().map(|(s, _)| *s).collect::<Vec<_>>(),
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "grant_types_supported": ["authorization_code", "refresh_token"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["EdDSA"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
            "revocation_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
            "introspection_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
            "claims_supported": ["sub", "iss", "aud", "exp", "iat", "nonce", "name", "email", "email_verified"],
            "authorization_response_iss_parameter_supported": true
        })
    }

    /// Who the token's owner is, as far as the token's scopes allow.
    pub(crate) async fn userinfo(&self, caller: &AppUser) -> Result<Value> {
        caller.require_scope("openid")?;
        let user = self.user(&caller.user.id).await?;
        let mut claims = json!({ "sub": user.id });
        if caller.require_scope("profile").is_ok() {
            claims["name"] = json!(user.display_name);
        }
        if caller.require_scope("email").is_ok() {
            claims["email"] = json!(user.email);
            claims["email_verified"] = json!(user.email_verified_at.is_some());
        }
        Ok(claims)
    }
}
