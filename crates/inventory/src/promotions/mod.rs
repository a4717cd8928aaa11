//! Offers from partners beside a person's equipment: published by people
//! with the `partner` or `admin` role, targeted by equipment kind, sport,
//! region and wear, at most a few shown at once, dismissible, and counted
//! without recording who saw or followed them.

pub mod model;
pub(crate) mod store;

use bytes::Bytes;
use futures::stream::BoxStream;
use futures::TryStreamExt;
use platform::blob::BlobError;
use platform::db::{now_ms, rfc3339};
use platform::http::Caller;
use platform::people::Role;

use crate::equipment::{self, Equipment};
use crate::error::{InventoryError, Result};
use crate::model::new_id;
use crate::{pictures, Inventory};
pub use model::{NewPromotion, Offer, Promotion, PromotionChanges, Settings, StoredOffer};

/// How many offers a person sees at once.
pub const SHOWN: usize = 3;

impl Inventory {
    /// The offers for the person now, most relevant first; each is counted as viewed.
    pub async fn offers_for(&self, user_id: &str) -> Result<Vec<Offer>> {
        let mut conn = self.platform.db.pool().acquire().await?;
        let settings = store::settings(&mut conn, user_id).await?;
        if !settings.promotions {
            return Ok(Vec::new());
        }
        let items = equipment::whole(&mut conn, user_id).await?;
        let items: Vec<&Equipment> = items.iter().filter(|i| i.retired_on.is_none()).collect();
        let mut chosen: Vec<StoredOffer> = store::running_for(&mut conn, user_id, now_ms())
            .await?
            .into_iter()
            .filter(|offer| targets(offer, &items, settings.region.as_deref()))
            .collect();
        // Offers about wear say something about this person's things: those first.
        chosen.sort_by_key(|offer| offer.min_worn.is_none());
        chosen.truncate(SHOWN);
        for offer in &chosen {
            store::count_view(&mut conn, &offer.id).await?;
        }
        Ok(chosen.iter().map(shown).collect())
    }

    pub async fn dismiss(&self, user_id: &str, id: &str) -> Result<()> {
        let mut conn = self.platform.db.pool().acquire().await?;
        store::by_id(&mut conn, id).await?.ok_or(InventoryError::NotFound)?;
        store::dismiss(&mut conn, user_id, id, now_ms()).await
    }

    /// Counts a click; the address to send the visitor to.
    pub async fn visit(&self, id: &str) -> Result<String> {
        let mut conn = self.platform.db.pool().acquire().await?;
        let offer = store::by_id(&mut conn, id).await?.ok_or(InventoryError::NotFound)?;
        store::count_click(&mut conn, id).await?;
        Ok(offer.link)
    }

    /// The caller's offers with their counts; an administrator's list is everyone's.
    pub async fn promotions_of(&self, caller: &Caller) -> Result<Vec<Promotion>> {
        may_publish(caller)?;
        let owner = (caller.role != Role::Admin).then_some(caller.id.as_str());
        let mut conn = self.platform.db.pool().acquire().await?;
        let mut out = Vec::new();
        for offer in store::by_owner(&mut conn, owner).await? {
            let dismissals = store::dismissals(&mut conn, &offer.id).await?;
            out.push(with_counts(offer, dismissals));
        }
        Ok(out)
    }

    pub async fn publish(&self, caller: &Caller, new: NewPromotion) -> Result<Promotion> {
        may_publish(caller)?;
        self.check_sports(new.sports.as_deref().unwrap_or_default(), &[]).await?;
        let offer = new.into_stored(&caller.id, new_id(), now_ms())?;
        let mut conn = self.platform.db.pool().acquire().await?;
        store::insert(&mut conn, &offer).await?;
        Ok(with_counts(offer, 0))
    }

    pub async fn change_promotion(&self, caller: &Caller, id: &str, changes: PromotionChanges) -> Result<Promotion> {
        may_publish(caller)?;
        self.check_sports(changes.sports.as_deref().unwrap_or_default(), &[]).await?;
        let mut tx = self.platform.db.begin().await?;
        let mut offer = authored(&mut tx, caller, id).await?;
        changes.apply(&mut offer)?;
        offer.updated_at = now_ms();
        store::update(&mut tx, &offer).await?;
        let dismissals = store::dismissals(&mut tx, id).await?;
        tx.commit().await?;
        Ok(with_counts(offer, dismissals))
    }

    pub async fn withdraw(&self, caller: &Caller, id: &str) -> Result<()> {
        let mut tx = self.platform.db.begin().await?;
        let offer = authored(&mut tx, caller, id).await?;
        store::delete(&mut tx, id).await?;
        tx.commit().await?;
        if let Some(key) = offer.picture_key {
            self.platform.blobs.delete(&key).await?;
        }
        Ok(())
    }

    pub async fn set_offer_picture(&self, caller: &Caller, id: &str, picture: Bytes) -> Result<Promotion> {
        {
            let mut conn = self.platform.db.pool().acquire().await?;
            authored(&mut conn, caller, id).await?;
        }
        let jpeg = pictures::prepare(picture).await?;
        let mut tx = self.platform.db.begin().await?;
        let mut offer = authored(&mut tx, caller, id).await?;
        let key = format!("{}/promotions/{id}.jpg", equipment::photo::files_of(&offer.owner_id));
        self.platform.blobs.put_bytes(&key, jpeg).await?;
        offer.picture_key = Some(key);
        offer.updated_at = now_ms();
        store::update(&mut tx, &offer).await?;
        let dismissals = store::dismissals(&mut tx, id).await?;
        tx.commit().await?;
        Ok(with_counts(offer, dismissals))
    }

    /// An offer's picture, for anyone: offers are public.
    pub async fn offer_picture(&self, id: &str) -> Result<BoxStream<'static, std::io::Result<Bytes>>> {
        let key = {
            let mut conn = self.platform.db.pool().acquire().await?;
            store::by_id(&mut conn, id).await?.and_then(|o| o.picture_key).ok_or(InventoryError::NotFound)?
        };
        match self.platform.blobs.get_stream(&key).await {
            Ok(stream) => Ok(Box::pin(stream.map_err(std::io::Error::other))),
            Err(BlobError::NotFound(_)) => Err(InventoryError::NotFound),
            Err(e) => Err(e.into()),
        }
    }

    pub async fn settings(&self, user_id: &str) -> Result<Settings> {
        let mut conn = self.platform.db.pool().acquire().await?;
        store::settings(&mut conn, user_id).await
    }

    pub async fn set_settings(&self, user_id: &str, settings: Settings) -> Result<Settings> {
        let region = settings.region.as_deref().map(|r| model::check_region("region", r)).transpose()?;
        let settings = Settings { region, ..settings };
        let mut conn = self.platform.db.pool().acquire().await?;
        store::set_settings(&mut conn, user_id, &settings).await?;
        Ok(settings)
    }
}

fn may_publish(caller: &Caller) -> Result<()> {
    match caller.role {
        Role::Admin | Role::Partner => Ok(()),
        Role::User | Role::Organiser => Err(InventoryError::NotPartner),
    }
}

/// The offer, if the caller wrote it or administers; anyone else's is not found.
async fn authored(conn: &mut sqlx::AnyConnection, caller: &Caller, id: &str) -> Result<StoredOffer> {
    may_publish(caller)?;
    let offer = store::by_id(conn, id).await?.ok_or(InventoryError::NotFound)?;
    if offer.owner_id != caller.id && caller.role != Role::Admin {
        return Err(InventoryError::NotFound);
    }
    Ok(offer)
}

/// Whether the offer is for someone with these active items in this region.
fn targets(offer: &StoredOffer, items: &[&Equipment], region: Option<&str>) -> bool {
    if !offer.regions.is_empty() && !region.is_some_and(|r| offer.regions.iter().any(|o| o == r)) {
        return false;
    }
    let untargeted = offer.kinds.is_empty() && offer.sports.is_empty() && offer.min_worn.is_none();
    untargeted || items.iter().any(|item| fits(offer, item))
}

fn fits(offer: &StoredOffer, item: &Equipment) -> bool {
    let kind = offer.kinds.is_empty() || offer.kinds.contains(&item.kind);
    let sport =
        offer.sports.is_empty() || offer.sports.iter().any(|s| item.sports.contains(s) || item.default_for.contains(s));
    let worn = offer.min_worn.is_none_or(|min| item.worn.is_some_and(|w| w >= min));
    kind && sport && worn
}

fn shown(offer: &StoredOffer) -> Offer {
    Offer {
        id: offer.id.clone(),
        title: offer.title.clone(),
        body: offer.body.clone(),
        link: offer.link.clone(),
        visit_url: format!("/api/v1/promotions/{}/visit", offer.id),
        picture: offer.picture_key.is_some(),
        ends_at: rfc3339(offer.ends_at),
    }
}

fn with_counts(offer: StoredOffer, dismissals: i64) -> Promotion {
    Promotion {
        offer: shown(&offer),
        owner_id: offer.owner_id,
        starts_at: rfc3339(offer.starts_at),
        kinds: offer.kinds,
        sports: offer.sports,
        regions: offer.regions,
        min_worn: offer.min_worn,
        views: offer.views,
        clicks: offer.clicks,
        dismissals,
        created_at: rfc3339(offer.created_at),
    }
}
