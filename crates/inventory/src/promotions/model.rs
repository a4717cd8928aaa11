//! Offers as people and their authors see them, and what authors send.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{InventoryError, Result};
use crate::model::{check_sports, nullable, parse_instant, short_text, Kind};

/// An offer as the people it targets see it.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Offer {
    pub id: String,
    pub title: String,
    pub body: String,
    /// The offer's address; follow `visit_url` instead so the click is counted.
    pub link: String,
    /// `/api/v1/promotions/{id}/visit`: counts the click and redirects to `link`.
    pub visit_url: String,
    /// Whether it has a picture (`GET /api/v1/promotions/{id}/picture`).
    pub picture: bool,
    /// UTC, RFC 3339.
    pub ends_at: String,
}

/// An offer as its author (or an administrator) sees it, with its counts.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Promotion {
    #[serde(flatten)]
    pub offer: Offer,
    pub owner_id: String,
    pub starts_at: String,
    pub kinds: Vec<Kind>,
    pub sports: Vec<String>,
    #[schema(value_type = Vec<CountryCode>)]
    pub regions: Vec<String>,
    pub min_worn: Option<f64>,
    /// Times it was shown.
    pub views: i64,
    /// Times its link was followed.
    pub clicks: i64,
    /// People who asked not to see it again.
    pub dismissals: i64,
    pub created_at: String,
}

// Only for the document: each of an offer's `regions`, with its pattern.
/// A country code (ISO 3166 alpha-2), such as `DE`.
#[derive(ToSchema)]
#[schema(pattern = "^[A-Z]{2}$")]
#[allow(dead_code)]
pub struct CountryCode(String);

/// A stored offer.
#[derive(Clone, Debug)]
pub struct StoredOffer {
    pub id: String,
    pub owner_id: String,
    pub title: String,
    pub body: String,
    pub link: String,
    pub picture_key: Option<String>,
    pub starts_at: i64,
    pub ends_at: i64,
    pub kinds: Vec<Kind>,
    pub sports: Vec<String>,
    pub regions: Vec<String>,
    pub min_worn: Option<f64>,
    pub views: i64,
    pub clicks: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPromotion {
    /// 1 to 120 characters.
    #[schema(min_length = 1, max_length = 120)]
    pub title: String,
    /// At most 1 000 characters.
    #[schema(max_length = 1000)]
    pub body: Option<String>,
    /// An `https://` or `http://` address.
    #[schema(max_length = 2000)]
    pub link: String,
    /// RFC 3339.
    #[schema(format = DateTime)]
    pub starts_at: String,
    /// RFC 3339, after `starts_at`.
    #[schema(format = DateTime)]
    pub ends_at: String,
    /// Equipment kinds it is for; empty or left out: any.
    #[schema(max_items = 7)]
    pub kinds: Option<Vec<Kind>>,
    /// Sport ids (from `GET /api/v1/sports`) it is for; empty or left out: any.
    #[schema(max_items = 20)]
    pub sports: Option<Vec<String>>,
    /// Country codes (ISO 3166 alpha-2) it is for; empty or left out: anywhere.
    #[schema(value_type = Option<Vec<CountryCode>>, max_items = 50)]
    pub regions: Option<Vec<String>>,
    /// Only for people with a matching item at least this worn (0.8: 80 % of its threshold).
    #[schema(minimum = 0.0, maximum = 10.0)]
    pub min_worn: Option<f64>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PromotionChanges {
    #[schema(min_length = 1, max_length = 120)]
    pub title: Option<String>,
    #[schema(max_length = 1000)]
    pub body: Option<String>,
    #[schema(max_length = 2000)]
    pub link: Option<String>,
    #[schema(format = DateTime)]
    pub starts_at: Option<String>,
    #[schema(format = DateTime)]
    pub ends_at: Option<String>,
    #[schema(max_items = 7)]
    pub kinds: Option<Vec<Kind>>,
    #[schema(max_items = 20)]
    pub sports: Option<Vec<String>>,
    #[schema(value_type = Option<Vec<CountryCode>>, max_items = 50)]
    pub regions: Option<Vec<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<f64>, nullable, minimum = 0.0, maximum = 10.0)]
    pub min_worn: Option<Option<f64>>,
}

/// Whether a person sees offers, and where they are.
#[derive(Clone, Debug, Deserialize, Serialize, ToSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Offers are shown beside the equipment; false hides them all.
    pub promotions: bool,
    /// A country code (ISO 3166 alpha-2) offers may be targeted by; null: none.
    #[schema(pattern = "^[A-Z]{2}$")]
    pub region: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Self { promotions: true, region: None }
    }
}

impl NewPromotion {
    pub fn into_stored(self, owner_id: &str, id: String, now: i64) -> Result<StoredOffer> {
        let mut offer = StoredOffer {
            id,
            owner_id: owner_id.to_string(),
            title: String::new(),
            body: String::new(),
            link: String::new(),
            picture_key: None,
            starts_at: 0,
            ends_at: 0,
            kinds: Vec::new(),
            sports: Vec::new(),
            regions: Vec::new(),
            min_worn: None,
            views: 0,
            clicks: 0,
            created_at: now,
            updated_at: now,
        };
        PromotionChanges {
            title: Some(self.title),
            body: self.body,
            link: Some(self.link),
            starts_at: Some(self.starts_at),
            ends_at: Some(self.ends_at),
            kinds: self.kinds,
            sports: self.sports,
            regions: self.regions,
            min_worn: Some(self.min_worn),
        }
        .apply(&mut offer)?;
        Ok(offer)
    }
}

impl PromotionChanges {
    pub fn apply(self, offer: &mut StoredOffer) -> Result<()> {
        if let Some(title) = self.title {
            offer.title = short_text("title", &title, 120)?;
            if offer.title.is_empty() {
                return Err(InventoryError::invalid("title", "an offer needs a title"));
            }
        }
        if let Some(body) = self.body {
            offer.body = short_text("body", &body, 1000)?;
        }
        if let Some(link) = self.link {
            offer.link = check_link(&link)?;
        }
        if let Some(at) = self.starts_at {
            offer.starts_at = parse_instant("starts_at", &at)?;
        }
        if let Some(at) = self.ends_at {
            offer.ends_at = parse_instant("ends_at", &at)?;
        }
        if offer.ends_at <= offer.starts_at {
            return Err(InventoryError::invalid("ends_at", "an offer ends after it starts"));
        }
        if let Some(kinds) = self.kinds {
            offer.kinds = check_kinds(kinds)?;
        }
        if let Some(sports) = self.sports {
            offer.sports = check_sports("sports", &sports)?;
        }
        if let Some(regions) = self.regions {
            if regions.len() > MAX_REGIONS {
                return Err(InventoryError::invalid("regions", format!("at most {MAX_REGIONS} regions")));
            }
            offer.regions = regions.iter().map(|r| check_region("regions", r)).collect::<Result<_>>()?;
        }
        if let Some(min_worn) = self.min_worn {
            if min_worn.is_some_and(|w| !(w.is_finite() && (0.0..=10.0).contains(&w))) {
                return Err(InventoryError::invalid("min_worn", "min_worn is a share of the threshold, from 0 to 10"));
            }
            offer.min_worn = min_worn;
        }
        Ok(())
    }
}

/// As many countries as an offer may name, as the document says.
const MAX_REGIONS: usize = 50;
/// The longest link, in characters as sent (the document's `maxLength`).
const MAX_LINK: usize = 2000;

/// Each kind once, in the order sent; no more than there are kinds, as the document says.
fn check_kinds(kinds: Vec<Kind>) -> Result<Vec<Kind>> {
    if kinds.len() > Kind::ALL.len() {
        return Err(InventoryError::invalid("kinds", format!("at most {} kinds", Kind::ALL.len())));
    }
    let mut once = Vec::with_capacity(kinds.len());
    for kind in kinds {
        if !once.contains(&kind) {
            once.push(kind);
        }
    }
    Ok(once)
}

pub fn check_region(field: &'static str, region: &str) -> Result<String> {
    if region.len() != 2 || !region.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(InventoryError::invalid(field, "a region is a country code of two capital letters, such as DE"));
    }
    Ok(region.to_string())
}

/// Only web addresses: a `javascript:` or `data:` link would run in the reader's browser.
fn check_link(link: &str) -> Result<String> {
    let too_long = link.chars().count() > MAX_LINK;
    let parsed = url::Url::parse(link.trim())
        .map_err(|_| InventoryError::invalid("link", "the link is a full address, starting with https://"))?;
    if !matches!(parsed.scheme(), "https" | "http") || parsed.host_str().is_none() || too_long {
        return Err(InventoryError::invalid(
            "link",
            "the link is an https:// or http:// address of at most 2 000 characters",
        ));
    }
    Ok(parsed.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_links_are_taken() {
        assert!(check_link("javascript:alert(1)").is_err());
        assert!(check_link("data:text/html,hi").is_err());
        assert!(check_link("ftp://shop.example/").is_err());
        assert_eq!(check_link(" https://shop.example/shoes ").unwrap(), "https://shop.example/shoes");
    }

    #[test]
    fn regions_are_country_codes() {
        assert!(check_region("region", "de").is_err());
        assert!(check_region("region", "DEU").is_err());
        assert_eq!(check_region("region", "DE").unwrap(), "DE");
    }
}
