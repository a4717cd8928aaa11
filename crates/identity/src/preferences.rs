//! A person's preferences: the units the client shows, and who sees what
//! they record unless they say otherwise. The words are platform's; other
//! contexts ask through traits of their own (training's `People`), which the
//! binary answers with [`Identity::preferences`].

pub use platform::people::{Language, Privacy, Units};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;

use crate::accounts::check_display_name;
use crate::athlete::{self, AthleteChange, Sex};
use crate::error::{IdentityError, Result};
use crate::store;
use crate::Identity;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct Preferences {
    pub units: Units,
    /// The privacy of a new workout that does not name one.
    pub default_privacy: Privacy,
    pub language: Language,
}

/// What `PATCH /api/v1/account` may change; whatever is left out stays,
/// and `null` clears an athlete fact (`sex`, `birth_year`, `weight_kg`).
/// The choices arrive as text so that a wrong one is refused naming its
/// field, like every other invalid input.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct ProfileChange {
    /// The name others see, 1 to 80 characters, not only spaces.
    #[schema(
        min_length = 1,
        max_length = 80,
        pattern = r"[^\t\n\u000B\u000C\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]"
    )]
    pub display_name: Option<String>,
    /// `metric` or `imperial`.
    #[schema(value_type = Option<Units>)]
    pub units: Option<String>,
    /// `public`, `followers` or `private`.
    #[schema(value_type = Option<Privacy>)]
    pub default_privacy: Option<String>,
    /// `en` or `ru`.
    #[schema(value_type = Option<Language>)]
    pub language: Option<String>,
    /// `female` or `male`; null: not said. Like the year of birth and the
    /// weight, used only to place the person in competition categories.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<Sex>)]
    pub sex: Option<Option<String>>,
    /// From 1900 to the current year; null: not said.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<i32>, nullable, minimum = 1900)]
    pub birth_year: Option<Option<i32>>,
    /// Body weight in kilograms, 20 to 300; null: not said.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<f64>, nullable, minimum = 20.0, maximum = 300.0)]
    pub weight_kg: Option<Option<f64>>,
}

/// For the facts a change may clear: left out is `None`, `null` is `Some(None)`.
fn nullable<'de, T: Deserialize<'de>, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// A checked change: every field valid, `None` where nothing changes.
pub(crate) struct CheckedChange {
    pub display_name: Option<String>,
    pub units: Option<Units>,
    pub default_privacy: Option<Privacy>,
    pub language: Option<Language>,
    pub athlete: AthleteChange,
}

impl ProfileChange {
    fn check(self) -> Result<CheckedChange> {
        let display_name = self.display_name.as_deref().map(check_display_name).transpose()?;
        let units = self
            .units
            .map(|u| {
                Units::parse(u.trim()).ok_or_else(|| IdentityError::invalid("units", "Choose metric or imperial."))
            })
            .transpose()?;
        let default_privacy = self
            .default_privacy
            .map(|p| {
                Privacy::parse(p.trim())
                    .ok_or_else(|| IdentityError::invalid("default_privacy", "Choose public, followers or private."))
            })
            .transpose()?;
        let language = self
            .language
            .map(|l| Language::parse(l.trim()).ok_or_else(|| IdentityError::invalid("language", "Choose en or ru.")))
            .transpose()?;
        let this_year = athlete::year_of(platform::db::now_ms());
        let athlete = AthleteChange::check(self.sex, self.birth_year, self.weight_kg, this_year)?;
        Ok(CheckedChange { display_name, units, default_privacy, language, athlete })
    }
}

impl Identity {
    /// A person's preferences; an account that is gone has the defaults,
    /// which are what it would have had.
    pub async fn preferences(&self, user_id: &str) -> Result<Preferences> {
        let mut conn = self.platform.db.pool().acquire().await?;
        Ok(store::preferences(&mut conn, user_id).await?.unwrap_or_default())
    }

    /// Changes the name, preferences and athlete facts a person sent; nothing changes when
    /// any of them is invalid.
    pub async fn change_profile(&self, user_id: &str, change: ProfileChange) -> Result<()> {
        let change = change.check()?;
        let mut tx = self.platform.db.begin().await?;
        store::change_profile(&mut tx, user_id, &change).await?;
        crate::events::profile_changed(&mut tx, user_id).await?;
        tx.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_is_checked_field_by_field() {
        let change = ProfileChange {
            display_name: Some("  Ada  ".into()),
            units: Some("imperial".into()),
            default_privacy: None,
            language: Some("ru".into()),
            ..Default::default()
        }
        .check()
        .unwrap();
        assert_eq!(change.display_name.as_deref(), Some("Ada"));
        assert_eq!(change.units, Some(Units::Imperial));
        assert_eq!(change.default_privacy, None);

        let wrong = |change: ProfileChange| match change.check() {
            Err(IdentityError::Invalid { field, .. }) => field,
            _ => panic!("accepted"),
        };
        assert_eq!(wrong(ProfileChange { units: Some("furlongs".into()), ..Default::default() }), "units");
        assert_eq!(
            wrong(ProfileChange { default_privacy: Some("friends".into()), ..Default::default() }),
            "default_privacy"
        );
        assert_eq!(wrong(ProfileChange { display_name: Some(" ".into()), ..Default::default() }), "display_name");
        assert_eq!(wrong(ProfileChange { weight_kg: Some(Some(5.0)), ..Default::default() }), "weight_kg");
    }

    #[test]
    fn a_fact_left_out_differs_from_one_cleared() {
        let change: ProfileChange = serde_json::from_str(r#"{ "sex": null, "birth_year": 1990 }"#).unwrap();
        assert_eq!((change.sex, change.birth_year, change.weight_kg), (Some(None), Some(Some(1990)), None));
    }
}
