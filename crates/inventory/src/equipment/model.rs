//! An item of equipment as the API shows it, and what people send to make
//! or change one.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::components::Component;
use crate::error::{InventoryError, Result};
use crate::model::{check_date, check_sports, check_threshold, nullable, short_text, Kind, Usage, MAX_NAME, MAX_NOTES};

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Equipment {
    pub id: String,
    pub kind: Kind,
    pub brand: String,
    pub model: String,
    pub nickname: String,
    /// What pickers show: the nickname, else brand and model, else the kind.
    pub name: String,
    /// `YYYY-MM-DD`.
    #[schema(format = Date)]
    pub purchased_on: Option<String>,
    pub price: Option<f64>,
    /// ISO 4217, such as `EUR`.
    pub currency: Option<String>,
    pub notes: String,
    /// Sport ids it is used for.
    pub sports: Vec<String>,
    /// Sports whose new trainings get it when the person does not choose.
    pub default_for: Vec<String>,
    /// Whether it has a photo (`GET /api/v1/equipment/{id}/photo`).
    pub photo: bool,
    /// Warn past this distance, in metres; null: never.
    pub threshold_m: Option<f64>,
    /// `YYYY-MM-DD`; null while in use.
    #[schema(format = Date)]
    pub retired_on: Option<String>,
    pub usage: Usage,
    /// `usage.distance_m / threshold_m`; null without a threshold.
    pub worn: Option<f64>,
    /// Fitted parts first, then replaced ones, newest first.
    pub components: Vec<Component>,
    pub created_at: String,
    pub updated_at: String,
}

/// What a stored row holds, before usage and parts are added.
#[derive(Clone, Debug)]
pub struct Stored {
    pub id: String,
    pub user_id: String,
    pub kind: Kind,
    pub brand: String,
    pub model: String,
    pub nickname: String,
    pub purchased_on: Option<String>,
    pub price: Option<f64>,
    pub currency: Option<String>,
    pub notes: String,
    pub sports: Vec<String>,
    pub photo_key: Option<String>,
    pub threshold_m: Option<f64>,
    pub alerted_threshold_m: Option<f64>,
    pub retired_on: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Stored {
    pub fn name(&self) -> String {
        display_name(&self.nickname, &self.brand, &self.model, self.kind)
    }
}

pub fn display_name(nickname: &str, brand: &str, model: &str, kind: Kind) -> String {
    if !nickname.is_empty() {
        return nickname.to_string();
    }
    let made = format!("{brand} {model}");
    let made = made.trim();
    if made.is_empty() {
        kind.as_str().to_string()
    } else {
        made.to_string()
    }
}

/// A new item. At least one of `brand`, `model` and `nickname` is needed.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEquipment {
    /// Chosen by a client that made the item offline; sending it again
    /// answers the item made the first time.
    #[schema(value_type = Option<uuid::Uuid>)]
    pub id: Option<String>,
    pub kind: Kind,
    /// At most 100 characters.
    #[schema(max_length = 100)]
    pub brand: Option<String>,
    #[schema(max_length = 100)]
    pub model: Option<String>,
    #[schema(max_length = 100)]
    pub nickname: Option<String>,
    /// `YYYY-MM-DD`, from 1970 and not in the future.
    #[schema(format = Date)]
    pub purchased_on: Option<String>,
    /// 0 to 1 000 000.
    #[schema(minimum = 0.0, maximum = 1000000.0)]
    pub price: Option<f64>,
    /// Three capital letters (ISO 4217), such as `EUR`.
    #[schema(pattern = "^[A-Z]{3}$")]
    pub currency: Option<String>,
    /// At most 2 000 characters.
    #[schema(max_length = 2000)]
    pub notes: Option<String>,
    /// Sport ids from `GET /api/v1/sports`, at most 20.
    #[schema(max_items = 20)]
    pub sports: Option<Vec<String>>,
    /// Sports whose new trainings get this item by default, at most 20.
    #[schema(max_items = 20)]
    pub default_for: Option<Vec<String>>,
    /// Metres, more than 0 and at most 100 000 km; left out: the kind's
    /// default (700 km for shoes); null: never warn.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<f64>, nullable, exclusive_minimum = 0.0, maximum = 100000000.0)]
    pub threshold_m: Option<Option<f64>>,
}

/// Changes to an item: what is left out stays; `null` clears an optional field.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EquipmentChanges {
    pub kind: Option<Kind>,
    #[schema(max_length = 100)]
    pub brand: Option<String>,
    #[schema(max_length = 100)]
    pub model: Option<String>,
    #[schema(max_length = 100)]
    pub nickname: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>, nullable, format = Date)]
    pub purchased_on: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<f64>, nullable, minimum = 0.0, maximum = 1000000.0)]
    pub price: Option<Option<f64>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>, nullable, pattern = "^[A-Z]{3}$")]
    pub currency: Option<Option<String>>,
    #[schema(max_length = 2000)]
    pub notes: Option<String>,
    #[schema(max_items = 20)]
    pub sports: Option<Vec<String>>,
    #[schema(max_items = 20)]
    pub default_for: Option<Vec<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<f64>, nullable, exclusive_minimum = 0.0, maximum = 100000000.0)]
    pub threshold_m: Option<Option<f64>>,
}

/// `POST /api/v1/equipment/{id}/retirement`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Retirement {
    /// `YYYY-MM-DD`; today when left out.
    #[schema(format = Date)]
    pub retired_on: Option<String>,
}

impl NewEquipment {
    /// The row this makes, checked field by field.
    pub fn into_stored(self, user_id: &str, id: String, now: i64) -> Result<(Stored, Vec<String>)> {
        let text = |field, value: Option<String>, max| short_text(field, value.as_deref().unwrap_or_default(), max);
        let stored = Stored {
            id,
            user_id: user_id.to_string(),
            kind: self.kind,
            brand: text("brand", self.brand, MAX_NAME)?,
            model: text("model", self.model, MAX_NAME)?,
            nickname: text("nickname", self.nickname, MAX_NAME)?,
            purchased_on: self.purchased_on.as_deref().map(|d| check_date("purchased_on", d)).transpose()?,
            price: self.price.map(check_price).transpose()?,
            currency: self.currency.as_deref().map(check_currency).transpose()?,
            notes: text("notes", self.notes, MAX_NOTES)?,
            sports: check_sports("sports", self.sports.as_deref().unwrap_or_default())?,
            photo_key: None,
            threshold_m: check_threshold("threshold_m", self.threshold_m.unwrap_or(self.kind.default_threshold_m()))?,
            alerted_threshold_m: None,
            retired_on: None,
            created_at: now,
            updated_at: now,
        };
        require_a_name(&stored)?;
        let defaults = check_sports("default_for", self.default_for.as_deref().unwrap_or_default())?;
        Ok((stored, defaults))
    }
}

impl EquipmentChanges {
    /// Applies the changes to `item`; the new defaults when they are sent.
    pub fn apply(self, item: &mut Stored) -> Result<Option<Vec<String>>> {
        if let Some(kind) = self.kind {
            item.kind = kind;
        }
        if let Some(brand) = self.brand {
            item.brand = short_text("brand", &brand, MAX_NAME)?;
        }
        if let Some(model) = self.model {
            item.model = short_text("model", &model, MAX_NAME)?;
        }
        if let Some(nickname) = self.nickname {
            item.nickname = short_text("nickname", &nickname, MAX_NAME)?;
        }
        if let Some(date) = self.purchased_on {
            item.purchased_on = date.as_deref().map(|d| check_date("purchased_on", d)).transpose()?;
        }
        if let Some(price) = self.price {
            item.price = price.map(check_price).transpose()?;
        }
        if let Some(currency) = self.currency {
            item.currency = currency.as_deref().map(check_currency).transpose()?;
        }
        if let Some(notes) = self.notes {
            item.notes = short_text("notes", &notes, MAX_NOTES)?;
        }
        if let Some(sports) = self.sports {
            item.sports = check_sports("sports", &sports)?;
        }
        if let Some(threshold) = self.threshold_m {
            item.threshold_m = check_threshold("threshold_m", threshold)?;
        }
        require_a_name(item)?;
        self.default_for.map(|d| check_sports("default_for", &d)).transpose()
    }
}

fn require_a_name(item: &Stored) -> Result<()> {
    if item.brand.is_empty() && item.model.is_empty() && item.nickname.is_empty() {
        return Err(InventoryError::invalid("nickname", "give the item a brand, a model or a nickname"));
    }
    Ok(())
}

fn check_price(price: f64) -> Result<f64> {
    if !(price.is_finite() && (0.0..=1_000_000.0).contains(&price)) {
        return Err(InventoryError::invalid("price", "a price is from 0 to 1 000 000"));
    }
    Ok(price)
}

fn check_currency(currency: &str) -> Result<String> {
    if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(InventoryError::invalid("currency", "a currency is three capital letters, such as EUR"));
    }
    Ok(currency.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_item_needs_some_name_and_shoes_get_a_threshold() {
        let unnamed = NewEquipment { kind: Kind::Shoes, ..NewEquipment::default() };
        let InventoryError::Invalid { field, .. } = unnamed.into_stored("u", "i".into(), 0).unwrap_err() else {
            panic!("not refused as invalid")
        };
        assert_eq!(field, "nickname");
        let named = NewEquipment { kind: Kind::Shoes, brand: Some(" Asics ".into()), ..NewEquipment::default() };
        let (stored, _) = named.into_stored("u", "i".into(), 0).unwrap();
        assert_eq!((stored.brand.as_str(), stored.threshold_m), ("Asics", Some(700_000.0)));
        assert_eq!(stored.name(), "Asics");
    }

    #[test]
    fn null_clears_a_threshold_and_absent_keeps_it() {
        let mut item = NewEquipment { kind: Kind::Shoes, nickname: Some("Blue".into()), ..NewEquipment::default() }
            .into_stored("u", "i".into(), 0)
            .unwrap()
            .0;
        let keep: EquipmentChanges = serde_json::from_str(r#"{"notes": "x"}"#).unwrap();
        keep.apply(&mut item).unwrap();
        assert_eq!(item.threshold_m, Some(700_000.0));
        let clear: EquipmentChanges = serde_json::from_str(r#"{"threshold_m": null}"#).unwrap();
        clear.apply(&mut item).unwrap();
        assert_eq!(item.threshold_m, None);
    }

    #[test]
    fn currency_and_price_are_checked() {
        assert!(check_currency("eur").is_err());
        assert!(check_price(-1.0).is_err());
        assert_eq!(check_currency("EUR").unwrap(), "EUR");
    }
}
