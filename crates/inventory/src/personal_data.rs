//! A person's equipment in their data export: `inventory/equipment.json`
//! and the photos. Erasing it is `erasure`'s, on `UserDeleted`.

use futures::future::BoxFuture;
use platform::personal_data::{Archive, PersonalData, PersonalDataError};
use serde::Serialize;

use crate::equipment::{self, Equipment};
use crate::promotions::{self, Settings, StoredOffer};
use crate::Inventory;

pub struct InventoryData(pub Inventory);

#[derive(Serialize)]
struct Export {
    equipment: Vec<Equipment>,
    settings: Settings,
    dismissed_offers: Vec<String>,
    /// Offers the person published, as a partner.
    offers: Vec<ExportedOffer>,
}

#[derive(Serialize)]
struct ExportedOffer {
    id: String,
    title: String,
    body: String,
    link: String,
    views: i64,
    clicks: i64,
}

impl From<StoredOffer> for ExportedOffer {
    fn from(o: StoredOffer) -> Self {
        Self { id: o.id, title: o.title, body: o.body, link: o.link, views: o.views, clicks: o.clicks }
    }
}

impl PersonalData for InventoryData {
    fn export<'a>(
        &'a self,
        user_id: &'a str,
        archive: &'a mut Archive,
    ) -> BoxFuture<'a, Result<(), PersonalDataError>> {
        Box::pin(async move {
            let (export, photos) =
                self.0.exported(user_id).await.map_err(|e| PersonalDataError::Other(e.to_string()))?;
            for (id, key) in photos {
                archive.add_file(&format!("inventory/photos/{id}.jpg"), &self.0.platform.blobs, &key).await?;
            }
            archive.add_json("inventory/equipment.json", &export)
        })
    }
}

impl Inventory {
    async fn exported(&self, user_id: &str) -> crate::error::Result<(Export, Vec<(String, String)>)> {
        let mut conn = self.platform.db.pool().acquire().await?;
        let photos = equipment::store::of_user(&mut conn, user_id)
            .await?
            .into_iter()
            .filter_map(|item| item.photo_key.map(|key| (item.id, key)))
            .collect();
        let export = Export {
            equipment: equipment::whole(&mut conn, user_id).await?,
            settings: promotions::store::settings(&mut conn, user_id).await?,
            dismissed_offers: promotions::store::dismissed_by(&mut conn, user_id).await?,
            offers: promotions::store::by_owner(&mut conn, Some(user_id)).await?.into_iter().map(Into::into).collect(),
        };
        Ok((export, photos))
    }
}
