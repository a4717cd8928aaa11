//! The keys that sign access tokens, their private halves sealed with the
//! server's secret key (sealing and opening is `keys`' business).

use sqlx::{AnyConnection, Row};

use crate::error::Result;

/// A key as stored.
pub struct StoredKey {
    pub id: String,
    /// Base64url, unpadded.
    pub public_key: String,
    /// The PKCS#8 document, sealed.
    pub sealed_private_key: String,
    pub retired: bool,
}

/// Every key, oldest first: the newest that is not retired signs.
pub async fn signing_keys(conn: &mut AnyConnection) -> Result<Vec<StoredKey>> {
    let rows = sqlx::query("SELECT id, public_key, private_key, retired_at FROM signing_keys ORDER BY created_at")
        .fetch_all(conn)
        .await?;
    rows.iter()
        .map(|row| {
            Ok(StoredKey {
                id: row.try_get("id")?,
                public_key: row.try_get("public_key")?,
                sealed_private_key: row.try_get("private_key")?,
                retired: row.try_get::<Option<i64>, _>("retired_at")?.is_some(),
            })
        })
        .collect()
}

/// Retires every key and adds `key` as the one that signs, at `now` (epoch
/// ms). Run it in a transaction, so that there is always a key that signs.
pub async fn add_signing_key(conn: &mut AnyConnection, key: &StoredKey, now: i64) -> Result<()> {
    sqlx::query("UPDATE signing_keys SET retired_at = $1 WHERE retired_at IS NULL")
        .bind(now)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO signing_keys (id, algorithm, public_key, private_key, created_at) VALUES ($1, 'EdDSA', $2, $3, $4)",
    )
    .bind(&key.id)
    .bind(&key.public_key)
    .bind(&key.sealed_private_key)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}
