//! What identity itself puts into a person's export.

use platform::db::rfc3339;
use platform::personal_data::Archive;
use serde_json::json;

use crate::error::Result;
use crate::oauth::store as oauth;
use crate::store::{self, User};
use crate::Identity;

const README: &str = "This archive holds what Athlos keeps about you, as JSON files in one folder per part of \
Athlos, with your original files beside them. Times are UTC (RFC 3339) or milliseconds since 1970.\n";

impl Identity {
    pub(super) async fn export_own_data(&self, user: &User, archive: &mut Archive) -> Result<()> {
        let mut conn = self.platform.db.pool().acquire().await?;
        let external: Vec<_> = store::external_logins(&mut conn, &user.id)
            .await?
            .iter()
            .map(|login| json!({ "provider": login.issuer, "linked_at": rfc3339(login.linked_at) }))
            .collect();
        let account = json!({
            "id": user.id,
            "email": user.email,
            "email_verified": user.email_verified_at.is_some(),
            "display_name": user.display_name,
            "role": user.role,
            "created_at": rfc3339(user.created_at),
            "two_factor_enabled": user.totp_secret.is_some(),
            "external_logins": external,
            "preferences": user.preferences,
            "athlete": user.athlete,
            "avatar": user.avatar_updated_at.map(|at| json!({ "file": "identity/avatar.jpg", "updated_at": rfc3339(at) })),
        });
        let grants = oauth::grants_of(&mut conn, &user.id).await?;
        let connected: Vec<_> = grants
            .iter()
            .map(|g| json!({ "client_id": g.client_id, "name": g.client_name, "scope": g.scope, "allowed_at": rfc3339(g.created_at) }))
            .collect();
        let registered: Vec<_> = oauth::clients_of(&mut conn, &user.id)
            .await?
            .iter()
            .map(|c| json!({ "client_id": c.id, "name": c.name, "redirect_uris": c.redirect_uris, "scopes": c.scopes, "created_at": rfc3339(c.created_at) }))
            .collect();
        let sessions = store::live_sessions(&mut conn, &user.id, "").await?;
        drop(conn);
        archive.add_text("README.txt", README)?;
        archive.add_json("identity/account.json", &account)?;
        archive.add_json("identity/sessions.json", &sessions)?;
        archive.add_json("identity/passkeys.json", &self.passkeys(&user.id).await?)?;
        archive.add_json("identity/connected-apps.json", &connected)?;
        archive.add_json("identity/registered-apps.json", &registered)?;
        if user.avatar_updated_at.is_some() {
            archive.add_file("identity/avatar.jpg", &self.platform.blobs, &crate::avatar::key(&user.id)).await?;
        }
        Ok(())
    }
}
