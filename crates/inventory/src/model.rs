//! The words of inventory shared by its parts: kinds of equipment and of
//! components, usage totals, and the checks on what people type.

use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;

use crate::error::{InventoryError, Result};

/// What an item of equipment is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Shoes,
    Bike,
    Skis,
    Board,
    Wetsuit,
    Watch,
    #[default]
    Other,
}

impl Kind {
    pub const ALL: [Kind; 7] =
        [Kind::Shoes, Kind::Bike, Kind::Skis, Kind::Board, Kind::Wetsuit, Kind::Watch, Kind::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Shoes => "shoes",
            Kind::Bike => "bike",
            Kind::Skis => "skis",
            Kind::Board => "board",
            Kind::Wetsuit => "wetsuit",
            Kind::Watch => "watch",
            Kind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Kind {
        Kind::ALL.into_iter().find(|k| k.as_str() == s).unwrap_or(Kind::Other)
    }

    /// When to warn if the person does not say: running shoes lose their
    /// cushioning somewhere between 500 and 800 km; the rest wears by parts.
    pub fn default_threshold_m(self) -> Option<f64> {
        match self {
            Kind::Shoes => Some(700_000.0),
            _ => None,
        }
    }

    /// The kind of an item named in an imported activity, from its sport.
    pub fn for_sport(sport: &str) -> Kind {
        const ON_FOOT: [&str; 4] = ["running", "walking", "hiking", "treadmill"];
        if ON_FOOT.iter().any(|s| sport.contains(s)) {
            Kind::Shoes
        } else if sport.contains("cycling") || sport.contains("biking") || sport.contains("ride") {
            Kind::Bike
        } else if sport.contains("ski") {
            Kind::Skis
        } else {
            Kind::Other
        }
    }
}

/// A part of an item that wears on its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ComponentKind {
    Chain,
    Cassette,
    Chainring,
    Tyre,
    BrakePads,
    Battery,
    Other,
}

impl ComponentKind {
    pub const ALL: [ComponentKind; 7] = [
        ComponentKind::Chain,
        ComponentKind::Cassette,
        ComponentKind::Chainring,
        ComponentKind::Tyre,
        ComponentKind::BrakePads,
        ComponentKind::Battery,
        ComponentKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ComponentKind::Chain => "chain",
            ComponentKind::Cassette => "cassette",
            ComponentKind::Chainring => "chainring",
            ComponentKind::Tyre => "tyre",
            ComponentKind::BrakePads => "brake_pads",
            ComponentKind::Battery => "battery",
            ComponentKind::Other => "other",
        }
    }

    pub fn parse(s: &str) -> ComponentKind {
        ComponentKind::ALL.into_iter().find(|k| k.as_str() == s).unwrap_or(ComponentKind::Other)
    }

    /// Common replacement intervals, in metres.
    pub fn default_threshold_m(self) -> Option<f64> {
        match self {
            ComponentKind::Chain => Some(3_000_000.0),
            ComponentKind::Cassette => Some(10_000_000.0),
            ComponentKind::Chainring => Some(20_000_000.0),
            ComponentKind::Tyre => Some(5_000_000.0),
            ComponentKind::BrakePads => Some(2_000_000.0),
            ComponentKind::Battery | ComponentKind::Other => None,
        }
    }
}

/// What an item or a part has done: sums over the trainings it was used in.
#[derive(Clone, Debug, Default, PartialEq, Serialize, ToSchema)]
pub struct Usage {
    pub distance_m: f64,
    pub moving_s: f64,
    pub elevation_m: f64,
    pub trainings: i64,
    /// UTC, RFC 3339; absent before the first training.
    pub first_used_at: Option<String>,
    pub last_used_at: Option<String>,
}

/// How far along its threshold something is: 1.0 is at the threshold.
pub fn worn(usage: &Usage, threshold_m: Option<f64>) -> Option<f64> {
    threshold_m.filter(|t| *t > 0.0).map(|t| usage.distance_m / t)
}

/// For `PATCH` fields that may be cleared: absent is `None`, `null` is
/// `Some(None)`.
pub fn nullable<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

pub const MAX_NAME: usize = 100;
pub const MAX_NOTES: usize = 2_000;
pub const MAX_SPORTS: usize = 20;
/// A hundred thousand kilometres: more is a typing mistake.
pub const MAX_THRESHOLD_M: f64 = 100_000_000.0;

/// A short text of at most `max` characters as sent (the document's
/// `maxLength`, which counts the spaces around it too), kept trimmed.
pub fn short_text(field: &'static str, text: &str, max: usize) -> Result<String> {
    if text.chars().count() > max {
        return Err(InventoryError::invalid(field, format!("{field} is longer than {max} characters")));
    }
    Ok(text.trim().to_string())
}

pub fn check_threshold(field: &'static str, threshold_m: Option<f64>) -> Result<Option<f64>> {
    match threshold_m {
        Some(t) if !(t.is_finite() && t > 0.0 && t <= MAX_THRESHOLD_M) => Err(InventoryError::invalid(
            field,
            "a threshold is a distance in metres, more than 0 and at most 100 000 km; null for none",
        )),
        other => Ok(other),
    }
}

/// A calendar date the person typed: `YYYY-MM-DD`, from 1970 and not after today.
pub fn check_date(field: &'static str, date: &str) -> Result<String> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let parsed = time::Date::parse(date, &format)
        .map_err(|_| InventoryError::invalid(field, format!("{field} is a date written as YYYY-MM-DD")))?;
    let today = time::OffsetDateTime::now_utc().date();
    if parsed.year() < 1970 || parsed > today.next_day().unwrap_or(today) {
        return Err(InventoryError::invalid(field, format!("{field} is from 1970 and not in the future")));
    }
    Ok(date.to_string())
}

/// Sport ids as the catalogue writes them; whether each exists is asked of training.
pub fn check_sports(field: &'static str, sports: &[String]) -> Result<Vec<String>> {
    if sports.len() > MAX_SPORTS {
        return Err(InventoryError::invalid(field, format!("at most {MAX_SPORTS} sports")));
    }
    let mut out: Vec<String> = Vec::new();
    for sport in sports {
        if !out.contains(sport) {
            out.push(sport.clone());
        }
    }
    Ok(out)
}

pub fn today() -> String {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::OffsetDateTime::now_utc().date().format(&format).unwrap_or_default()
}

/// An RFC 3339 instant, as milliseconds since the epoch.
pub fn parse_instant(field: &'static str, text: &str) -> Result<i64> {
    let at = time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .map_err(|_| InventoryError::invalid(field, format!("{field} is an RFC 3339 date and time")))?;
    let ms = at.unix_timestamp_nanos() / 1_000_000;
    if !(0..=253_402_300_799_000).contains(&ms) {
        return Err(InventoryError::invalid(field, format!("{field} is after 1970 and before 10000")));
    }
    Ok(ms as i64)
}

pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// An id sent by a client: a UUID written the usual way, with hyphens (the
/// document's `format: uuid`; the braced, URN and bare forms are refused).
pub fn check_id(field: &'static str, id: &str) -> Result<String> {
    uuid::Uuid::parse_str(id)
        .ok()
        .filter(|_| id.len() == 36)
        .map(|u| u.hyphenated().to_string())
        .ok_or_else(|| InventoryError::invalid(field, format!("{field} is a UUID such as 0193a5b2-…")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_read_back_and_anything_unknown_is_other() {
        for kind in Kind::ALL {
            assert_eq!(Kind::parse(kind.as_str()), kind);
        }
        assert_eq!(Kind::parse("hoverboard"), Kind::Other);
        assert_eq!(ComponentKind::parse("brake_pads"), ComponentKind::BrakePads);
    }

    #[test]
    fn imported_gear_takes_its_kind_from_the_sport() {
        assert_eq!(Kind::for_sport("running"), Kind::Shoes);
        assert_eq!(Kind::for_sport("trail-running"), Kind::Shoes);
        assert_eq!(Kind::for_sport("cycling"), Kind::Bike);
        assert_eq!(Kind::for_sport("mountain-biking"), Kind::Bike);
        assert_eq!(Kind::for_sport("skiing"), Kind::Skis);
        assert_eq!(Kind::for_sport("swimming"), Kind::Other);
    }

    #[test]
    fn thresholds_are_positive_and_bounded() {
        assert!(check_threshold("threshold_m", Some(0.0)).is_err());
        assert!(check_threshold("threshold_m", Some(f64::NAN)).is_err());
        assert!(check_threshold("threshold_m", Some(MAX_THRESHOLD_M + 1.0)).is_err());
        assert_eq!(check_threshold("threshold_m", Some(700_000.0)).unwrap(), Some(700_000.0));
        assert_eq!(check_threshold("threshold_m", None).unwrap(), None);
    }

    #[test]
    fn dates_are_checked() {
        assert!(check_date("purchased_on", "2024-02-30").is_err());
        assert!(check_date("purchased_on", "1969-12-31").is_err());
        assert!(check_date("purchased_on", "3000-01-01").is_err());
        assert_eq!(check_date("purchased_on", "2024-02-29").unwrap(), "2024-02-29");
    }

    #[test]
    fn texts_are_counted_as_sent_and_kept_trimmed() {
        assert_eq!(short_text("brand", " Asics ", 7).unwrap(), "Asics");
        assert!(short_text("brand", &format!(" {} ", "x".repeat(99)), 100).is_err());
    }

    #[test]
    fn client_ids_are_hyphenated_uuids() {
        let id = "0193a5b2-7c1e-7000-8000-000000000001";
        assert_eq!(check_id("id", &id.to_uppercase()).unwrap(), id);
        assert!(check_id("id", &id.replace('-', "")).is_err());
        assert!(check_id("id", &format!("urn:uuid:{id}")).is_err());
    }

    #[test]
    fn worn_is_the_share_of_the_threshold() {
        let usage = Usage { distance_m: 350_000.0, ..Usage::default() };
        assert_eq!(worn(&usage, Some(700_000.0)), Some(0.5));
        assert_eq!(worn(&usage, None), None);
    }
}
