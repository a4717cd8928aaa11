//! What administrators do to accounts.

use crate::error::{IdentityError, Result};
use crate::store::{self, User};
use crate::Identity;

impl Identity {
    /// Users in id order, `limit` at a time after `cursor`.
    pub async fn list_users(&self, cursor: Option<&str>, limit: i64) -> Result<Vec<User>> {
        let mut conn = self.platform.db.pool().acquire().await?;
        store::list_users(&mut conn, cursor, limit).await
    }

    /// Suspends (ending every session) or reinstates an account.
    pub async fn set_suspended(&self, admin_id: &str, user_id: &str, suspended: bool) -> Result<()> {
        if admin_id == user_id {
            return Err(IdentityError::Conflict("administrators cannot suspend themselves"));
        }
        let mut tx = self.platform.db.begin().await?;
        if !store::set_suspended(&mut tx, user_id, suspended).await? {
            return Err(IdentityError::NotFound);
        }
        if suspended {
            store::revoke_sessions(&mut tx, user_id, None, "account suspended").await?;
        }
        tx.commit().await?;
        tracing::info!(admin = %admin_id, user = %user_id, suspended, "account status changed");
        Ok(())
    }

    /// Makes the account a plain user, a partner (who publishes offers) or an administrator.
    pub async fn set_role(&self, admin_id: &str, user_id: &str, role: platform::people::Role) -> Result<()> {
        if admin_id == user_id {
            return Err(IdentityError::Conflict("administrators cannot change their own role"));
        }
        let mut conn = self.platform.db.pool().acquire().await?;
        if !store::set_role(&mut conn, user_id, role).await? {
            return Err(IdentityError::NotFound);
        }
        tracing::info!(admin = %admin_id, user = %user_id, role = role.as_str(), "account role changed");
        Ok(())
    }

    pub async fn delete_user(&self, admin_id: &str, user_id: &str) -> Result<()> {
        if admin_id == user_id {
            return Err(IdentityError::Conflict("delete your own account from your account settings"));
        }
        let mut tx = self.platform.db.begin().await?;
        if !store::delete_user(&mut tx, user_id).await? {
            return Err(IdentityError::NotFound);
        }
        crate::events::deleted(&mut tx, user_id).await?;
        self.enqueue_erasure(&mut tx, user_id).await?;
        tx.commit().await?;
        tracing::info!(admin = %admin_id, user = %user_id, "account deleted by an administrator");
        Ok(())
    }
}
