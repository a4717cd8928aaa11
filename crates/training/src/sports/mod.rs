//! The sports catalogue: what a workout can be, with an icon and whether
//! distance matters. Everyone reads it; administrators edit it.

pub(crate) mod store;

use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;
use utoipa::ToSchema;

pub use store::{all, get};

use crate::error::{Result, TrainingError};

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Sport {
    /// A slug such as `running`, used by workouts.
    pub id: String,
    pub name: String,
    /// An emoji.
    pub icon: String,
    /// False for sports measured in time only (strength, yoga).
    pub has_distance: bool,
    pub position: i64,
}

/// A new sport, or changes to one (what is left out stays).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SportInput {
    /// Only when creating: lowercase letters, digits and dashes.
    pub id: Option<String>,
    pub name: Option<String>,
    pub icon: Option<String>,
    pub has_distance: Option<bool>,
    /// The place in the list, from -2147483648 to 2147483647.
    #[serde(default, deserialize_with = "integral")]
    pub position: Option<i64>,
}

/// A position: a whole number in the range of 32 bits, also when written
/// with a zero fraction (`5.0`), which JSON Schema counts as an integer too.
fn integral<'de, D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Option<i64>, D::Error> {
    let Some(number) = Option::<serde_json::Number>::deserialize(deserializer)? else { return Ok(None) };
    let range = f64::from(i32::MIN)..=f64::from(i32::MAX);
    match number.as_f64() {
        Some(float) if float.fract() == 0.0 && range.contains(&float) => Ok(Some(float as i64)),
        _ => Err(serde::de::Error::custom(format!(
            "invalid value: {number}, expected a whole number from {} to {}",
            i32::MIN,
            i32::MAX
        ))),
    }
}

/// The sport a workout names, or a 422 on `sport` saying how to find one.
pub async fn existing(conn: &mut AnyConnection, id: &str) -> Result<Sport> {
    get(conn, id.trim()).await?.ok_or_else(|| {
        TrainingError::invalid("sport", format!("there is no sport `{id}`; GET /api/v1/sports lists them"))
    })
}

pub async fn create(conn: &mut AnyConnection, input: SportInput) -> Result<Sport> {
    let id = input.id.as_deref().map(str::trim).unwrap_or_default().to_string();
    if id.is_empty() || id.len() > 40 || !id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
        return Err(TrainingError::invalid("id", "the id must be 1 to 40 lowercase letters, digits or dashes"));
    }
    let sport = Sport {
        id,
        name: check_name(input.name.as_deref().unwrap_or_default())?,
        icon: check_icon(input.icon.as_deref().unwrap_or("⭐"))?,
        has_distance: input.has_distance.unwrap_or(true),
        position: input.position.unwrap_or(500),
    };
    if !store::insert(conn, &sport).await? {
        return Err(TrainingError::Conflict(format!("a sport `{}` exists already", sport.id)));
    }
    Ok(sport)
}

pub async fn update(conn: &mut AnyConnection, id: &str, input: SportInput) -> Result<Sport> {
    if input.id.is_some() {
        return Err(TrainingError::invalid("id", "a sport's id cannot change; workouts refer to it"));
    }
    let mut sport = get(conn, id).await?.ok_or(TrainingError::NotFound)?;
    if let Some(name) = &input.name {
        sport.name = check_name(name)?;
    }
    if let Some(icon) = &input.icon {
        sport.icon = check_icon(icon)?;
    }
    sport.has_distance = input.has_distance.unwrap_or(sport.has_distance);
    sport.position = input.position.unwrap_or(sport.position);
    store::update(conn, id, &sport).await?;
    Ok(sport)
}

/// Removes a sport no workout uses.
pub async fn delete(conn: &mut AnyConnection, id: &str) -> Result<()> {
    let used = store::workouts_of(conn, id).await?;
    if used > 0 {
        return Err(TrainingError::Conflict(format!(
            "{used} workouts are of this sport; move them to another sport first"
        )));
    }
    if !store::delete(conn, id).await? {
        return Err(TrainingError::NotFound);
    }
    Ok(())
}

fn check_name(name: &str) -> Result<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 60 {
        return Err(TrainingError::invalid("name", "the name must be 1 to 60 characters"));
    }
    Ok(name.to_string())
}

fn check_icon(icon: &str) -> Result<String> {
    let icon = icon.trim();
    if icon.is_empty() || icon.chars().count() > 8 {
        return Err(TrainingError::invalid("icon", "the icon must be an emoji (1 to 8 characters)"));
    }
    Ok(icon.to_string())
}

/// The catalogue's sport for what an activity file calls its sport
/// (`running`, `Biking`, `cycling_road`, …), `other` when none fits.
pub fn from_file(named: Option<&str>) -> &'static str {
    let named = named.unwrap_or_default().to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| named.contains(w));
    if has(&["trail"]) {
        "trail-running"
    } else if has(&["run"]) {
        "running"
    } else if has(&["mountain", "mtb"]) {
        "mountain-biking"
    } else if has(&["bik", "cycl", "ride"]) {
        "cycling"
    } else if has(&["swim"]) {
        "swimming"
    } else if has(&["hik"]) {
        "hiking"
    } else if has(&["walk"]) {
        "walking"
    } else if has(&["row"]) {
        "rowing"
    } else if has(&["ski"]) {
        "skiing"
    } else if has(&["weight", "strength"]) {
        "strength"
    } else if has(&["yoga"]) {
        "yoga"
    } else {
        "other"
    }
}

#[cfg(test)]
mod tests {
    use super::from_file;

    #[test]
    fn a_files_sport_words_find_the_sport() {
        // GPX <type>, TCX Sport, FIT sport with its sub-sport.
        assert_eq!(from_file(Some("running")), "running");
        assert_eq!(from_file(Some("Biking")), "cycling");
        assert_eq!(from_file(Some("running trail")), "trail-running");
        assert_eq!(from_file(Some("cycling mountain")), "mountain-biking");
        assert_eq!(from_file(Some("training strength_training")), "strength");
        assert_eq!(from_file(None), "other");
    }
}
