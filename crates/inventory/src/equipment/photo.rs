//! An item's photo, on the file store under the person's folder.

use bytes::Bytes;
use futures::stream::BoxStream;
use futures::TryStreamExt;
use platform::blob::BlobError;
use platform::change_log::Operation;
use platform::db::now_ms;

use super::{log_change, store};
use crate::error::{InventoryError, Result};
use crate::{pictures, Inventory};

/// Where everything inventory keeps of a person goes, so erasing it is one sweep.
pub fn files_of(user_id: &str) -> String {
    format!("{}/inventory", platform::personal_data::user_folder(user_id))
}

fn key(user_id: &str, id: &str) -> String {
    format!("{}/equipment/{id}.jpg", files_of(user_id))
}

impl Inventory {
    pub async fn set_photo(&self, user_id: &str, id: &str, picture: Bytes) -> Result<super::Equipment> {
        self.equipment(user_id, id).await?;
        let jpeg = pictures::prepare(picture).await?;
        let key = key(user_id, id);
        self.platform.blobs.put_bytes(&key, jpeg).await?;
        let mut tx = self.platform.db.begin().await?;
        let Some(mut item) = store::owned(&mut tx, user_id, id, true).await? else {
            drop(tx);
            // Deleted meanwhile.
            self.platform.blobs.delete(&key).await?;
            return Err(InventoryError::NotFound);
        };
        item.photo_key = Some(key);
        item.updated_at = now_ms();
        store::update(&mut tx, &item).await?;
        log_change(&mut tx, &item, Operation::Updated).await?;
        tx.commit().await?;
        self.equipment(user_id, id).await
    }

    pub async fn remove_photo(&self, user_id: &str, id: &str) -> Result<()> {
        let mut tx = self.platform.db.begin().await?;
        let mut item = store::owned(&mut tx, user_id, id, true).await?.ok_or(InventoryError::NotFound)?;
        let Some(key) = item.photo_key.take() else { return Ok(()) };
        item.updated_at = now_ms();
        store::update(&mut tx, &item).await?;
        log_change(&mut tx, &item, Operation::Updated).await?;
        tx.commit().await?;
        self.platform.blobs.delete(&key).await?;
        Ok(())
    }

    pub async fn photo(&self, user_id: &str, id: &str) -> Result<BoxStream<'static, std::io::Result<Bytes>>> {
        let key = {
            let mut conn = self.platform.db.pool().acquire().await?;
            let item = store::owned(&mut conn, user_id, id, false).await?.ok_or(InventoryError::NotFound)?;
            item.photo_key.ok_or(InventoryError::NotFound)?
        };
        match self.platform.blobs.get_stream(&key).await {
            Ok(stream) => Ok(Box::pin(stream.map_err(std::io::Error::other))),
            Err(BlobError::NotFound(_)) => Err(InventoryError::NotFound),
            Err(e) => Err(e.into()),
        }
    }
}
